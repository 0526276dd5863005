import { useEffect } from 'react';

/**
 * A file dropped anywhere but on the compose window does nothing: the window never navigates to it or
 * opens it (Electron's navigateOnDragDrop is off as well). The compose window handles its own drops first.
 */
export function useDropGuard(): void {
  useEffect(() => {
    const refuse = (e: DragEvent) => {
      if (e.defaultPrevented) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
    };
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);
}
