import { VSCodeBadge } from '@vscode/webview-ui-toolkit/react';
import type { ReactNode } from 'react';

export function Badge({ children, title }: { children: ReactNode; title?: string }) {
  return <VSCodeBadge title={title}>{children}</VSCodeBadge>;
}
