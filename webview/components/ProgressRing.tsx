import { VSCodeProgressRing } from '@vscode/webview-ui-toolkit/react';

export function ProgressRing({ label }: { label: string }) {
  return <VSCodeProgressRing aria-label={label} />;
}
