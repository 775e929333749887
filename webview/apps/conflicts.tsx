import { createRoot } from 'react-dom/client';
import { ConflictsApp } from '../sync/ConflictsApp';
import { connectToExtension } from '../vscodeApi';
import '../components/page.css';
import '../sync/sync.css';

const endpoint = connectToExtension();
const root = document.getElementById('root');
if (root) createRoot(root).render(<ConflictsApp endpoint={endpoint} />);
