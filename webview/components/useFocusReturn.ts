// Focus goes back to the control that had it when the webview gets focus again. VS Code's modal
// dialogs (a write's confirmation) are the workbench's, outside the webview: when one is cancelled,
// focus came back to the webview's body, not to the button that opened it. A button disabled while
// the confirmation is prepared loses focus the same way; it gets it back once enabled again.
import { useEffect } from 'react';

/** The element to give focus back to: a shadow host's own focus target is reached through the host. */
function focusable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element !== document.body && element.isConnected;
}

function focusIsLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

export function useFocusReturn(): void {
  useEffect(() => {
    let last: HTMLElement | null = null;
    let pending = 0;
    const remember = (event: FocusEvent): void => {
      // event.target is retargeted to the shadow host (vscode-button), which focus() delegates.
      if (focusable(event.target as Element)) last = event.target as HTMLElement;
    };
    const restore = (): void => {
      if (!last || !focusIsLost() || !focusable(last)) return;
      if ((last as HTMLElement & { disabled?: boolean }).disabled) return;
      last.focus();
    };
    // After a message from the extension (the dialog's answer, a state that re-enables the button),
    // once React has rendered it; only while the webview has focus, so focus is never taken.
    const afterMessage = (): void => {
      window.clearTimeout(pending);
      pending = window.setTimeout(() => {
        if (document.hasFocus()) restore();
      }, 50);
    };
    document.addEventListener('focusin', remember);
    window.addEventListener('focus', restore);
    window.addEventListener('message', afterMessage);
    return () => {
      window.clearTimeout(pending);
      document.removeEventListener('focusin', remember);
      window.removeEventListener('focus', restore);
      window.removeEventListener('message', afterMessage);
    };
  }, []);
}
