import { VSCodeTextField } from '@vscode/webview-ui-toolkit/react';

export interface TextFieldProps {
  value: string;
  placeholder?: string;
  ariaLabel: string;
  /** Shown as the tooltip and marks the field invalid. */
  error?: string | null;
  onInput: (value: string) => void;
  className?: string;
  /** -1 inside a grid: the grid is the one tab stop and moves focus into the field itself. */
  tabIndex?: number;
}

export function TextField({ value, placeholder, ariaLabel, error, onInput, className, tabIndex }: TextFieldProps) {
  return (
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
  );
}
