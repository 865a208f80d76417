/**
 * What `check --notify` posts on a change of state: an alert (pass → fail), a recovery (fail → pass), or a
 * near expiry (--warn-before). Three shapes: generic JSON; Slack-compatible (`text` plus Block Kit
 * `blocks`: https://api.slack.com/messaging/webhooks); Microsoft Teams-compatible (an Adaptive Card in a
 * `message`, as Teams Workflows webhooks take it: https://learn.microsoft.com/microsoftteams/platform/
 * webhooks-and-connectors/how-to/connectors-using). Pure; every text is sanitised by the caller's input
 * (codes and fixes are ours, messages are redacted and sanitised before they get here).
 */
import { sanitiseLine } from '../sanitise.js'

export const NOTIFY_FORMATS = ['generic', 'slack', 'teams'] as const
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number]

export interface NotifyEvent {
  readonly event: 'alert' | 'recovery' | 'expiry'
  readonly target: string
  readonly kind: string
  readonly time: string
  /** The failure (alert), the last failure (recovery), or TOKEN_EXPIRES_SOON (expiry). */
  readonly code: string | null
  readonly message: string | null
  readonly fix: string | null
  readonly expiresAt: string | null
  readonly runUrl: string | null
}

const TITLE: Readonly<Record<NotifyEvent['event'], string>> = {
  alert: 'failing',
  recovery: 'recovered',
  expiry: 'refresh token expires soon',
}

/** One line a person reads first. */
export function headline(e: NotifyEvent): string {
  const icon = e.event === 'recovery' ? '✅' : e.event === 'alert' ? '🔴' : '⏳'
  return sanitiseLine(`${icon} sf-oauth check: ${e.target} ${TITLE[e.event]}${e.code !== null && e.event !== 'recovery' ? ` (${e.code})` : ''}`, 300)
}

function details(e: NotifyEvent): string[] {
  const lines: string[] = []
  if (e.event === 'alert' && e.message !== null) lines.push(e.message)
  if (e.event === 'recovery' && e.code !== null) lines.push(`was failing with ${e.code}`)
  if (e.expiresAt !== null) lines.push(`refresh token stops working at ${e.expiresAt}`)
  if (e.event !== 'recovery' && e.fix !== null) lines.push(`Fix: ${e.fix}`)
  return lines.map((l) => sanitiseLine(l, 1000))
}

/** Slack mrkdwn: &, < and > are control characters there (https://api.slack.com/reference/surfaces/formatting#escaping). */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export function payload(format: NotifyFormat, e: NotifyEvent): unknown {
  const head = headline(e)
  const body = details(e)
  if (format === 'generic') return { source: 'sf-oauth check', ...e, headline: head }
  if (format === 'slack') {
    return {
      text: head,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: slackEscape([head, ...body].join('\n')) } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(`${e.kind} · ${e.time}`) + (e.runUrl === null ? '' : ` · <${e.runUrl}|CI run>`) }] },
      ],
    }
  }
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: head, weight: 'Bolder', wrap: true, color: e.event === 'recovery' ? 'Good' : e.event === 'alert' ? 'Attention' : 'Warning' },
          ...body.map((t) => ({ type: 'TextBlock', text: t, wrap: true })),
          { type: 'TextBlock', text: `${e.kind} · ${e.time}`, isSubtle: true, spacing: 'None', wrap: true },
        ],
        ...(e.runUrl === null ? {} : { actions: [{ type: 'Action.OpenUrl', title: 'CI run', url: e.runUrl }] }),
      },
    }],
  }
}
