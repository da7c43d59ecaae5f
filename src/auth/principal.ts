export const ROLES = ['OWNER', 'ADMIN', 'EDITOR', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];
export const SCOPES = ['READ', 'WRITE', 'MANAGE', 'INTERNAL'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling, within exactly one workspace. */
export interface Principal {
  kind: 'USER' | 'API_KEY' | 'OAUTH_CLIENT';
  workspaceId: string;
  userId: string | null;
  apiKeyId: string | null;
  oauthClientId: string | null;
  role: Role | null;
  scopes: Scope[];
}

/** Scopes a member's role grants when signed in as a user. */
export function scopesForRole(role: Role): Scope[] {
  switch (role) {
    case 'OWNER':
    case 'ADMIN':
      return ['READ', 'WRITE', 'MANAGE'];
    case 'EDITOR':
      return ['READ', 'WRITE'];
    case 'VIEWER':
      return ['READ'];
  }
}

export const isAdmin = (p: Principal) => p.role === 'OWNER' || p.role === 'ADMIN';
export const hasScope = (p: Principal, scope: Scope) => p.scopes.includes(scope);

/** Scopes asked for that the principal does not hold itself: a credential never grants more than it has. */
export const scopesBeyond = (p: Principal, asked: readonly Scope[]) => asked.filter((s) => !p.scopes.includes(s));
