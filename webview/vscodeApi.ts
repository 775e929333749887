import { RpcEndpoint } from '../core/protocol/rpc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}

/** The webview's end of its protocol: posts to the extension, receives from window messages. */
export function connectToExtension(): RpcEndpoint {
  const endpoint = new RpcEndpoint((message) => vscodeApi().postMessage(message));
  window.addEventListener('message', (event: MessageEvent<unknown>) => endpoint.receive(event.data));
  return endpoint;
}

/** Per-panel UI state VS Code keeps while the panel is hidden or reloaded. */
export function loadPanelState<T>(isValid: (value: unknown) => value is T): T | undefined {
  const state = vscodeApi().getState();
  return isValid(state) ? state : undefined;
}

/** Merged over what is saved: each part of a panel (its table choice, its column widths) saves its own keys. */
export function savePanelState(state: Record<string, unknown>): void {
  const saved = vscodeApi().getState();
  vscodeApi().setState({ ...(typeof saved === 'object' && saved !== null ? saved : {}), ...state });
}
