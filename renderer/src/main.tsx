import { createRoot } from 'react-dom/client';

function App() {
  return <main>Keyrite</main>;
}

createRoot(document.getElementById('root')!).render(<App />);
