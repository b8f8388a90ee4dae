// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect
// metadata polyfill loaded first. Import the library only through this file.
import 'reflect-metadata';
export * from '@peculiar/x509';
