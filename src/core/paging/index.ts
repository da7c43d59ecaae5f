/** One paging engine for every list: arguments and limits, cursors, page slicing. No GraphQL here. */
export { CRM_PAGE, FEEDBACK_PAGE, STANDARD_PAGE, describePaging, type PageRules } from './rules.js';
export { pageRequest, type PageArgs, type PageRequest } from './request.js';
export { cursorBinding, decodeCursor, encodeCursor, invalidCursor, type CursorValue } from './cursor.js';
export { slicePage, type PageSlice } from './page.js';
