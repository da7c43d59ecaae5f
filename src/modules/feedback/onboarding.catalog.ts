/**
 * The fixed catalog of product categories offered at onboarding, and the SMART tags each one
 * creates. A SMART tag is applied automatically, like a TEXT_MATCH tag, by its built-in terms
 * (case-insensitive whole words); users may enable or disable it but not change its terms.
 */
export interface SmartTagSpec {
  name: string;
  displayName: string;
  description: string;
  terms: string[];
}

export interface ProductCategory {
  key: string;
  name: string;
  tags: SmartTagSpec[];
}

const tag = (displayName: string, description: string, terms: string[]): SmartTagSpec => ({
  name: displayName
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, ''),
  displayName: displayName.toUpperCase(),
  description,
  terms,
});

const PRICING = tag('Pricing', 'Price, cost and value for money', ['price', 'pricing', 'expensive', 'cheap', 'cost', 'costs', 'overpriced']);
const USABILITY = tag('Usability', 'Ease of use and user interface', ['easy', 'intuitive', 'confusing', 'complicated', 'interface', 'ui', 'ux']);
const SUPPORT = tag('Customer Support', 'Help from the support team', ['support', 'help desk', 'agent', 'helpdesk', 'customer service']);
const PERFORMANCE = tag('Performance', 'Speed, latency and reliability', ['slow', 'fast', 'lag', 'laggy', 'latency', 'crash', 'crashes', 'downtime']);
const BUGS = tag('Bugs', 'Defects and errors', ['bug', 'bugs', 'broken', 'error', 'errors', 'glitch']);
const FEATURE_REQUEST = tag('Feature Request', 'Missing or wished-for features', ['feature', 'wish', 'missing', 'would like', 'please add']);
const DELIVERY = tag('Delivery', 'Shipping and delivery', ['delivery', 'delivered', 'shipping', 'late', 'courier']);
const QUALITY = tag('Product Quality', 'Quality of the goods', ['quality', 'damaged', 'defective', 'durable']);
const REFUND = tag('Returns and Refunds', 'Returns, refunds and exchanges', ['refund', 'return', 'returned', 'exchange']);
const ONBOARDING = tag('Onboarding', 'Getting started and setup', ['onboarding', 'setup', 'set up', 'getting started', 'tutorial']);
const INTEGRATIONS = tag('Integrations', 'Connections to other tools', ['integration', 'integrations', 'api', 'webhook', 'plugin']);
const DOCS = tag('Documentation', 'Docs and guides', ['documentation', 'docs', 'guide', 'manual']);

export const PRODUCT_CATEGORIES: readonly ProductCategory[] = [
  { key: 'GENERAL', name: 'General', tags: [PRICING, USABILITY, SUPPORT, PERFORMANCE, FEATURE_REQUEST] },
  {
    key: 'SAAS_DEVOPS',
    name: 'SaaS DevOps',
    tags: [PERFORMANCE, INTEGRATIONS, DOCS, BUGS, tag('Deployment', 'Deploys, pipelines and builds', ['deploy', 'deployment', 'pipeline', 'build', 'ci'])],
  },
  { key: 'SAAS_ANC', name: 'SaaS Anc', tags: [PRICING, USABILITY, SUPPORT, ONBOARDING, BUGS] },
  {
    key: 'SAAS_IDC',
    name: 'SaaS IDC',
    tags: [PERFORMANCE, SUPPORT, PRICING, tag('Security', 'Security and access control', ['security', 'secure', 'password', 'sso', 'breach'])],
  },
  {
    key: 'SAAS_EDUCATION_CL',
    name: 'SaaS Education CL',
    tags: [
      USABILITY,
      SUPPORT,
      tag('Course Content', 'Lessons and course material', ['course', 'lesson', 'lessons', 'content', 'curriculum']),
      tag('Teachers', 'Teachers and tutors', ['teacher', 'teachers', 'tutor', 'instructor']),
    ],
  },
  {
    key: 'SAAS_GD',
    name: 'SaaS GD',
    tags: [USABILITY, PERFORMANCE, tag('Templates', 'Design templates and assets', ['template', 'templates', 'asset', 'assets', 'font', 'fonts']), PRICING],
  },
  {
    key: 'SAAS_SOCIAL_MEDIA',
    name: 'SaaS Social Media',
    tags: [
      INTEGRATIONS,
      USABILITY,
      tag('Scheduling', 'Post scheduling', ['schedule', 'scheduling', 'scheduled', 'calendar']),
      tag('Analytics', 'Reports and analytics', ['analytics', 'report', 'reports', 'insights']),
    ],
  },
  {
    key: 'SAAS_SOCIAL_MEDIA_HS',
    name: 'SaaS Social Media HS',
    tags: [INTEGRATIONS, SUPPORT, tag('Analytics', 'Reports and analytics', ['analytics', 'report', 'reports', 'insights']), PRICING],
  },
  { key: 'E_COMMERCE', name: 'E-Commerce', tags: [DELIVERY, QUALITY, REFUND, PRICING, SUPPORT] },
  {
    key: 'E_COMMERCE_WGAC',
    name: 'E-Commerce-WGAC',
    tags: [DELIVERY, QUALITY, REFUND, tag('Checkout', 'Cart and payment', ['checkout', 'cart', 'payment', 'pay'])],
  },
  {
    key: 'EMPLOYEE_REVIEWS',
    name: 'Employee Reviews',
    tags: [
      tag('Management', 'Managers and leadership', ['manager', 'management', 'leadership', 'boss']),
      tag('Compensation', 'Pay and benefits', ['salary', 'pay', 'benefits', 'bonus']),
      tag('Work-Life Balance', 'Hours and flexibility', ['balance', 'overtime', 'hours', 'remote', 'flexible']),
      tag('Culture', 'Team and culture', ['culture', 'team', 'colleagues']),
    ],
  },
  {
    key: 'ONLINE_FOOD_DELIVERY',
    name: 'Online Food Delivery',
    tags: [
      DELIVERY,
      tag('Food Quality', 'Taste and freshness', ['taste', 'cold', 'fresh', 'stale', 'delicious']),
      REFUND,
      tag('Order Accuracy', 'Wrong or missing items', ['wrong', 'missing', 'forgot']),
    ],
  },
  {
    key: 'SUPPORT_CASE_FEEDBACK',
    name: 'Support Case Feedback',
    tags: [
      tag('Response Time', 'Time to first answer', ['wait', 'waiting', 'quick', 'slow', 'response time']),
      tag('Resolution', 'Whether the issue was solved', ['resolved', 'solved', 'fixed', 'unresolved']),
      tag('Agent Attitude', 'Courtesy of the agent', ['friendly', 'rude', 'polite', 'helpful']),
    ],
  },
  {
    key: 'SAAS_RC',
    name: 'SaaS RC',
    tags: [USABILITY, PRICING, SUPPORT, tag('Call Quality', 'Voice and video quality', ['call', 'calls', 'audio', 'video', 'dropped'])],
  },
  {
    key: 'POLITICIANS_REVIEW',
    name: 'Politicians Review',
    tags: [
      tag('Economy', 'Jobs, taxes and prices', ['economy', 'jobs', 'tax', 'taxes', 'inflation']),
      tag('Healthcare', 'Health services', ['health', 'healthcare', 'hospital']),
      tag('Education', 'Schools and universities', ['school', 'schools', 'education', 'university']),
      tag('Trust', 'Honesty and integrity', ['trust', 'honest', 'corrupt', 'corruption', 'lies']),
    ],
  },
];

export const CATEGORY_KEYS = PRODUCT_CATEGORIES.map((c) => c.key) as [string, ...string[]];

export const categoryByKey = (key: string | null | undefined) => PRODUCT_CATEGORIES.find((c) => c.key === key) ?? null;
