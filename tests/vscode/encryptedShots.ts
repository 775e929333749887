// The encrypted sample, unlocked as a user does it: the view says the file looks encrypted, its
// "Enter key…" button opens VS Code's password box, the key is typed there, and the grid shows the
// rows. Taken by tests/vscode/screenshots.ts. The file is the sample's app.db encrypted by Debian's
// sqlcipher at shot time (ciphertext differs run to run, so no encrypted copy is committed).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Workbench } from '../../scripts/vscode/workbench';

const sampleKey = 'synclens-sample-key';

/** Writes secure.db, the sample's app.db encrypted, and opens it: the view says it looks encrypted. */
async function openEncryptedSample(workbench: Workbench, workspace: string) {
  const path = join(workspace, 'secure.db');
  execFileSync('sqlcipher', [join(workspace, 'app.db')], {
    input: `ATTACH DATABASE '${path}' AS secure KEY '${sampleKey}';\nSELECT sqlcipher_export('secure');\nDETACH DATABASE secure;\n`,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  await workbench.openFile('secure.db');
  return workbench.waitForWebviewText(/looks encrypted/);
}

export const encryptedShots = [
  {
    name: 'encrypted-locked',
    shows: 'secure.db (the sample encrypted with SQLCipher) without its key: what it is, how to give the key, and the "Enter key…" button',
    async take(workbench: Workbench, workspace: string) {
      await openEncryptedSample(workbench, workspace);
    },
  },
  {
    name: 'encrypted-unlocked',
    shows: 'secure.db (the sample encrypted with SQLCipher) after "Enter key…": the grid of its first table',
    async take(workbench: Workbench, workspace: string) {
      const frame = await openEncryptedSample(workbench, workspace);
      await frame.getByRole('button', { name: /Enter key/ }).click();
      const input = workbench.page.locator('.quick-input-widget input[type="password"]');
      await input.waitFor();
      await input.fill(sampleKey);
      await workbench.page.keyboard.press('Enter');
      await workbench.waitForWebviewText('odid');
      await workbench.waitForWebviewText(/rows/i);
    },
  },
];
