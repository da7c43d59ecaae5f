/** How many items a page of one list holds when the client does not say, and at most. */
export interface PageRules {
  defaultSize: number;
  maxSize: number;
}

/** CRM lists (modules, records, charts, pages): the CRM product's default of 50. */
export const CRM_PAGE: PageRules = { defaultSize: 50, maxSize: 500 };
/** Feedback lists (responses, surveys, tags, projects, imports, exports): the feedback product's 25. */
export const FEEDBACK_PAGE: PageRules = { defaultSize: 25, maxSize: 100 };
/** Every other list. */
export const STANDARD_PAGE: PageRules = { defaultSize: 20, maxSize: 100 };

/** The sentence every connection's description carries, and the conventions test reads. */
export const describePaging = (rules: PageRules) => `Page size: default ${rules.defaultSize}, maximum ${rules.maxSize}.`;
