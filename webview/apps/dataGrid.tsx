import { createRoot } from 'react-dom/client';
import { App } from '../dataGrid/App';
import { connectToExtension } from '../vscodeApi';
import '../components/page.css';
import './dataGrid.css';

const endpoint = connectToExtension();
const root = document.getElementById('root');
if (root) createRoot(root).render(<App endpoint={endpoint} />);
