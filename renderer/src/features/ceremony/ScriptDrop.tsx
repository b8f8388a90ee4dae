import { useState, type DragEvent } from 'react';
import { useStore } from '../../store';

function carriesFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer.types).includes('Files');
}

/**
 * Files dropped anywhere on the start screen: the script (and its policy, if it has its own), read
 * here as a picked file is and checked by main. `over` lights the drop zone while files hover.
 */
export function useScriptDrop(onDropped: () => void) {
  const [over, setOver] = useState(false);
  const dropFiles = useStore((s) => s.dropFiles);
  const handlers = {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      setOver(true);
    },
    onDragLeave: (e: DragEvent<HTMLElement>) => {
      if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
    },
    onDrop: (e: DragEvent<HTMLElement>) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      setOver(false);
      onDropped();
      const files = Array.from(e.dataTransfer.files);
      // A file that cannot be read (a folder, a file gone since the drag began) is a drop with nothing readable in it.
      void Promise.all(files.map(async (f) => ({ fileName: f.name, text: await f.text() }))).then(dropFiles, () => dropFiles([]));
    },
  };
  return { over, handlers };
}
