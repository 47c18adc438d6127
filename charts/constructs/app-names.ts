import { PORTS } from '../../src/surface.ts';

/** The app's names and ports, in a module of their own so every construct can import them without a cycle. */
export const APP_NAME = 'drafty-bird';
export const HTTP_PORT = PORTS.main;
export const PUBLIC_PORT = PORTS.public;
export const HEADLESS_SERVICE = `${APP_NAME}-headless`;
/** The Service every exposure path targets (the public port). */
export const PUBLIC_SERVICE = `${APP_NAME}-public`;
/** The synthetic players' Deployment, and the `app.kubernetes.io/name` Prometheus' players job keeps. */
export const PLAYERS_NAME = `${APP_NAME}-players`;
/** The players' metrics port's name: the players job keeps exactly this port. */
export const PLAYERS_METRICS_PORT_NAME = 'metrics';
