import { GraphQLScalarType } from 'graphql';
import { builder } from '../../../graphql/builder.js';

builder.addScalarType(
  'Upload',
  new GraphQLScalarType<File, never>({
    name: 'Upload',
    description: 'A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec)',
    serialize: () => {
      throw new Error('Upload is an input-only scalar');
    },
    parseValue: (v: unknown) => {
      // Yoga hands over its fetch ponyfill's File, not necessarily the global class
      const f = v as File | null;
      if (!f || typeof f !== 'object' || typeof f.arrayBuffer !== 'function' || typeof f.name !== 'string')
        throw new TypeError('Upload expects a file part of a multipart request');
      return f;
    },
  }),
);
