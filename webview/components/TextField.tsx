import { VSCodeTextField } from '@vscode/webview-ui-toolkit/react';
import { useLayoutEffect, useRef } from 'react';

export interface TextFieldProps {
  value: string;
  placeholder?: string;
  /** The field's name for screen readers ("Filter email"), where no visible label sits beside it. */
  ariaLabel: string;
  /** Shown as the tooltip and marks the field invalid. */
  error?: string | null;
  onInput: (value: string) => void;
  className?: string;
  /** -1 in a grid's header row, where the arrow keys move between cells (one tab stop per grid). */
  tabIndex?: number;
}

/**
 * A toolkit text field named `ariaLabel`. The toolkit's element sets its own aria-label when it is
 * connected, to its text content or else the generic "Text field" (node_modules/@vscode/
 * webview-ui-toolkit/dist/text-field/index.js), over the one React gave it; the name is set again
 * after every render so the field is announced by what it filters.
 */
export function TextField({ value, placeholder, ariaLabel, error, onInput, className, tabIndex }: TextFieldProps) {
  // The toolkit's React wrapper is a class component: its ref is not the element, so a box that
  // takes no space of its own holds it.
  const holder = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const field = holder.current?.querySelector('vscode-text-field');
    if (field && field.getAttribute('aria-label') !== ariaLabel) field.setAttribute('aria-label', ariaLabel);
  });
  return (
    <span ref={holder} style={{ display: 'contents' }}>
      <VSCodeTextField
        className={`${className ?? ''}${error ? ' invalid' : ''}`}
        value={value}
        placeholder={placeholder}
        aria-label={ariaLabel}
        aria-invalid={error ? true : undefined}
        title={error ?? placeholder}
        tabIndex={tabIndex}
        onInput={(event) => onInput((event.target as HTMLInputElement).value)}
      />
    </span>
  );
}
