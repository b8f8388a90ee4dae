import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export type BannerTone = 'info' | 'success' | 'warning' | 'danger' | 'rehearsal';

const ICONS: Record<BannerTone, IconName> = {
  info: 'info',
  success: 'check',
  warning: 'warning',
  danger: 'cross',
  rehearsal: 'shield',
};

export interface BannerProps {
  tone: BannerTone;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  /** 'alert' interrupts a screen reader: only for failures that need action now. */
  live?: 'polite' | 'alert' | 'off';
  className?: string;
}

export function Banner({ tone, title, children, actions, live = 'polite', className }: BannerProps) {
  const role = live === 'alert' ? 'alert' : live === 'polite' ? 'status' : undefined;
  return (
    <div className={`banner banner-${tone}${className ? ` ${className}` : ''}`} role={role}>
      <Icon name={ICONS[tone]} className="banner-icon" />
      <div className="banner-text">
        <p className="banner-title">{title}</p>
        {children ? <div className="banner-body">{children}</div> : null}
      </div>
      {actions ? <div className="banner-actions">{actions}</div> : null}
    </div>
  );
}
