import { VSCodePanelTab, VSCodePanels } from '@vscode/webview-ui-toolkit/react';

export interface TabsProps<T extends string> {
  tabs: { id: T; label: string }[];
  active: T;
  onChange: (id: T) => void;
}

/** Tab headers styled as VS Code's panel tabs; the caller renders the active tab's content. */
export function Tabs<T extends string>({ tabs, active, onChange }: TabsProps<T>) {
  return (
    <VSCodePanels
      className="tabs"
      activeid={`tab-${active}`}
      onChange={(event) => {
        const id = (event.target as HTMLElement & { activeid?: string }).activeid?.replace(/^tab-/, '');
        const tab = tabs.find((candidate) => candidate.id === id);
        if (tab && tab.id !== active) onChange(tab.id);
      }}
    >
      {tabs.map((tab) => (
        <VSCodePanelTab key={tab.id} id={`tab-${tab.id}`}>
          {tab.label}
        </VSCodePanelTab>
      ))}
    </VSCodePanels>
  );
}
