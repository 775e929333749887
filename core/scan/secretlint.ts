// Service keys and tokens by secretlint's recommended rule preset (@secretlint/core). A lint call
// costs about a millisecond, so it runs only on values that a cheap prefilter selects: a marker
// that one of the preset's rules starts from (a key prefix, a PEM header, a URL with a password).
// tests/unit/scan/secretlint.test.ts checks that every planted key passes the prefilter.
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig } from '@secretlint/types';
import type { Detection, ScanSeverity, SecretKind } from './types';

const config: SecretLintCoreConfig = { rules: [{ id: recommendedPreset.meta.id, rule: recommendedPreset }] };

/** The markers the preset's rules look for; a value with none of them cannot match any rule. */
const markers =
  /-----BEGIN|(?:AKIA|ASIA|A3T[A-Z0-9]|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}|[Ss]ecret_?[Aa]ccess|SECRET_?ACCESS|[sr]k_(?:live|test)_|gh[pousr]_|github_pat_|xox[abpor]-|xapp-|SG\.[\w-]{16}|shp(?:pa|ca|at|ss)_|glpat-|glsa_|gsk_|hf_[A-Za-z]{20}|sk-|lin_api_|ops_ey|dapi[0-9a-fA-F]{8}|figd_|hvs\.|tskey-|dckr_pat_|ntn_|npm_|cf(?:k|ut|at)_|vercel|vc[pkira]_|"private_key"|:\/\/[^\s:@/]+:[^\s@/]+@/;

/** Values longer than this are linted only up to it (a PEM key is a few KiB). */
const maxLintedLength = 256 * 1024;

export function isSecretlintCandidate(text: string): boolean {
  return text.length >= 16 && markers.test(text);
}

const cloudRules = new Set(['aws', 'gcp', 'stripe', 'cloudflare', 'databricks', 'vercel', 'hashicorp-vault', 'tailscale']);
const serviceNames: Readonly<Record<string, string>> = {
  aws: 'AWS', gcp: 'Google Cloud', stripe: 'Stripe', cloudflare: 'Cloudflare', databricks: 'Databricks', vercel: 'Vercel', 'hashicorp-vault': 'HashiCorp Vault',
  tailscale: 'Tailscale', github: 'GitHub', gitlab: 'GitLab', slack: 'Slack', npm: 'npm', openai: 'OpenAI', anthropic: 'Anthropic', sendgrid: 'SendGrid',
  shopify: 'Shopify', linear: 'Linear', '1password': '1Password', huggingface: 'Hugging Face', figma: 'Figma', groq: 'Groq', notion: 'Notion', grafana: 'Grafana', docker: 'Docker',
};

function withArticle(name: string): string {
  return `${/^[AEIOU1]/.test(name) ? 'An' : 'A'} ${name}`;
}

function classifyRule(ruleId: string, messageId: string): { kind: SecretKind; severity: ScanSeverity; what: string } {
  const rule = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  if (rule === 'privatekey' || (rule === 'gcp' && /private/i.test(messageId))) return { kind: 'private-key', severity: 'error', what: 'A private key' };
  if (rule === 'basicauth' || rule === 'database-connection-string') return { kind: 'credential-url', severity: 'error', what: 'A URL with a password in it' };
  if (rule === 'stripe' && /TEST/.test(messageId)) return { kind: 'cloud-key', severity: 'warning', what: 'A Stripe test-mode key (no real money, but it reads and writes the test account)' };
  const name = serviceNames[rule] ?? rule;
  if (cloudRules.has(rule)) return { kind: 'cloud-key', severity: 'error', what: `${withArticle(name)} key` };
  return { kind: 'api-token', severity: 'error', what: `${withArticle(name)} token` };
}

/**
 * The secret a message is about: a rule that matches the secret inside a longer pattern (AWS's
 * `aws_secret_access_key = …`) names it in its data, while its range may cover the pattern.
 */
function secretOf(content: string, range: readonly [number, number], data: unknown): string {
  if (data !== null && typeof data === 'object') {
    const named = Object.values(data).find((value): value is string => typeof value === 'string' && value.length >= 8 && content.includes(value));
    if (named) return named;
  }
  return content.slice(range[0], range[1]);
}

/** What the preset finds in `text`, each with the matched secret (for the preview only). */
export async function lintForSecrets(text: string): Promise<Detection[]> {
  const content = text.length > maxLintedLength ? text.slice(0, maxLintedLength) : text;
  const result = await lintSource({ source: { content, filePath: 'cell', contentType: 'text' }, options: { config, noPhysicFilePath: true } });
  return result.messages
    .filter((message) => message.type === 'message')
    .map((message) => {
      const { kind, severity, what } = classifyRule(message.ruleId, message.messageId);
      return {
        kind,
        severity,
        reason: `${what}, found by secretlint (${message.messageId}): whoever reads the file can use it. Revoke it, and keep keys in secure storage or on a server, never in the app database.`,
        secret: secretOf(content, message.range, message.data),
      };
    });
}
