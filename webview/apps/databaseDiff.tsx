import { createRoot } from 'react-dom/client';
import { DiffApp } from '../diff/DiffApp';
import { connectToExtension } from '../vscodeApi';
import '../components/page.css';
import '../diff/diff.css';

const endpoint = connectToExtension();
const root = document.getElementById('root');
if (root) createRoot(root).render(<DiffApp endpoint={endpoint} />);
