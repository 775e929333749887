import { VSCodeTextField } from '@vscode/webview-ui-toolkit/react';

export interface TextFieldProps {
  value: string;
  placeholder?: string;
  ariaLabel: string;
  /** Shown as the tooltip and marks the field invalid. */
  error?: string | null;
  onInput: (value: string) => void;
  className?: string;
}

export function TextField({ value, placeholder, ariaLabel, error, onInput, className }: TextFieldProps) {
  return (
    <VSCodeTextField
      className={`${className ?? ''}${error ? ' invalid' : ''}`}
      value={value}
      placeholder={placeholder}
      aria-label={ariaLabel}
      aria-invalid={error ? true : undefined}
      title={error ?? placeholder}
      onInput={(event) => onInput((event.target as HTMLInputElement).value)}
    />
  );
}
