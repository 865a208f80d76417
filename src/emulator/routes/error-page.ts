/** Salesforce's OAuth error page (docs/salesforce-oauth.md §1.5c, §6.4). */
import type { Route } from '../context.js'
import { html } from '../http-util.js'
import { errorPage } from '../views.js'

export const errorPageGet: Route = (ctx) => {
  const q = ctx.url.searchParams
  html(ctx, 200, errorPage(q.get('error') ?? 'OAUTH_APPROVAL_ERROR_GENERIC', q.get('error_description') ?? 'An unexpected error has occurred during authentication. Please try again.'))
}
