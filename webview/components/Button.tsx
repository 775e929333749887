import { VSCodeButton } from '@vscode/webview-ui-toolkit/react';
import type { ReactNode } from 'react';

export interface ButtonProps {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** A codicon name, shown before the label (or alone for icon buttons). */
  icon?: string;
  title?: string;
  disabled?: boolean;
  onClick: () => void;
  children?: ReactNode;
}

export function Button({ appearance = 'secondary', icon, title, disabled, onClick, children }: ButtonProps) {
  return (
    <VSCodeButton appearance={appearance} title={title} aria-label={title} disabled={disabled} onClick={onClick}>
      {icon && appearance !== 'icon' ? <span slot="start" className={`codicon codicon-${icon}`} /> : null}
      {icon && appearance === 'icon' ? <span className={`codicon codicon-${icon}`} /> : null}
      {children}
    </VSCodeButton>
  );
}
