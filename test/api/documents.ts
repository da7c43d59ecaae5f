import { graphql } from '../gql/index.js';

/** What every mutation test reads of a refusal: spread `...UserErrorFields` into a payload union. */
export const UserErrorFields = graphql(`
  fragment UserErrorFields on UserError {
    code
    message
    issues {
      path
      code
      message
    }
  }
`);

/** The same selection for raw (untyped) documents, interpolated into their text. */
export const USER_ERROR = '... on UserError { code message issues { path code message } }';
