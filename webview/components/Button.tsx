import { VSCodeButton } from '@vscode/webview-ui-toolkit/react';
import type { ReactNode } from 'react';

export interface ButtonProps {
  appearance?: 'primary' | 'secondary' | 'icon';
  /** A codicon name, shown before the label (or alone for icon buttons). */
  icon?: string;
  /** The tooltip; an icon-only button (no children) is also named by it. */
  title?: string;
  disabled?: boolean;
  onClick: () => void;
  children?: ReactNode;
}

/**
 * A toolkit button named by its visible text, as a screen reader should announce it; the title is
 * only its tooltip (it was its aria-label, so "Merge Fields" was read as its tooltip's sentence).
 * A button with no text is named by its title.
 */
export function Button({ appearance = 'secondary', icon, title, disabled, onClick, children }: ButtonProps) {
  const hasText = children !== undefined && children !== null && children !== false && children !== '';
  return (
    <VSCodeButton appearance={appearance} title={title} aria-label={hasText ? undefined : title} disabled={disabled} onClick={onClick}>
      {icon && appearance !== 'icon' ? <span slot="start" className={`codicon codicon-${icon}`} aria-hidden="true" /> : null}
      {icon && appearance === 'icon' ? <span className={`codicon codicon-${icon}`} aria-hidden="true" /> : null}
      {children}
    </VSCodeButton>
  );
}
