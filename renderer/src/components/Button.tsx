import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

export interface ButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  variant?: 'primary' | 'secondary' | 'danger' | 'quiet';
  size?: 'normal' | 'large';
  icon?: IconName;
  /** Shows a spinner in place of the icon and disables the button; the label stays, so nothing moves. */
  busy?: boolean;
  children: ReactNode;
}

export function Button({ variant = 'secondary', size = 'normal', icon, busy = false, disabled, className, children, type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={`btn btn-${variant} btn-${size}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? <Icon name="spinner" className="spin" /> : icon ? <Icon name={icon} /> : null}
      <span>{children}</span>
    </button>
  );
}
