export { USB_VENDORS, classifyUsbDevice, hex4, type DeviceKind, type KnownDevice, type UsbIdentity } from './vendors';
export { listUsbDevices, watchUsb, toView, type UsbDeviceView, type UsbListing, type UsbEvent, type UsbLoader } from './usb-watch';
export { combineDevices, diffTokens, presentTokens, type DeviceEntry, type DevicesView, type PresentToken, type TokenChange } from './combine';
export { watchTokens, type TokenWatchEvent, type TokenWatchOptions } from './watch-tokens';
export { readDevices } from './view';
