/**
 * Who may use a forward-auth route: the Authentik groups the lab's blueprints create and bind to
 * each route's application (render/authentik). `users` is everyone with a lab account (household
 * accounts too); `admins` only the people who run the lab. A route that is root on a host (the
 * Docker engine, a shell, an API that reconfigures a service) is for `admins` (the rule
 * route-group-too-wide says which evidence it reads).
 */
export const AUTH_GROUPS = {
  users: 'lab-users',
  admins: 'lab-admins',
} as const;

export type RouteGroup = keyof typeof AUTH_GROUPS;

/** A forward-auth route without `group` is open to every lab account. */
export const DEFAULT_ROUTE_GROUP: RouteGroup = 'users';

/** The Authentik groups whose members may use a route of `group` (admins may use every route). */
export function groupsAllowed(group: RouteGroup): readonly string[] {
  return group === 'admins' ? [AUTH_GROUPS.admins] : [AUTH_GROUPS.users, AUTH_GROUPS.admins];
}
