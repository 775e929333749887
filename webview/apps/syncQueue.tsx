import { createRoot } from 'react-dom/client';
import { QueueApp } from '../sync/QueueApp';
import { connectToExtension } from '../vscodeApi';
import '../components/page.css';
import '../sync/sync.css';

const endpoint = connectToExtension();
const root = document.getElementById('root');
if (root) createRoot(root).render(<QueueApp endpoint={endpoint} />);
