import { useId, type ReactNode } from 'react';

export interface PanelProps {
  title: string;
  /** Heading level inside the page (screens use h1; panels default to h2). */
  level?: 2 | 3;
  actions?: ReactNode;
  description?: ReactNode;
  className?: string;
  children: ReactNode;
}

export function Panel({ title, level = 2, actions, description, className, children }: PanelProps) {
  const id = useId();
  const H = level === 2 ? 'h2' : 'h3';
  return (
    <section className={`panel${className ? ` ${className}` : ''}`} aria-labelledby={id}>
      <header className="panel-header">
        <div>
          <H id={id} className="panel-title">{title}</H>
          {description ? <p className="panel-description">{description}</p> : null}
        </div>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
