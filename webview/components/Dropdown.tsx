import { VSCodeDropdown, VSCodeOption } from '@vscode/webview-ui-toolkit/react';

export interface DropdownOption {
  value: string;
  label: string;
}

export interface DropdownProps {
  value: string;
  options: DropdownOption[];
  ariaLabel: string;
  onChange: (value: string) => void;
}

export function Dropdown({ value, options, ariaLabel, onChange }: DropdownProps) {
  return (
    <VSCodeDropdown value={value} aria-label={ariaLabel} onChange={(event) => onChange((event.target as HTMLSelectElement).value)}>
      {options.map((option) => (
        <VSCodeOption key={option.value} value={option.value} selected={option.value === value}>
          {option.label}
        </VSCodeOption>
      ))}
    </VSCodeDropdown>
  );
}
