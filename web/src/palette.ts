/**
 * The game's colours. The browser test finds the detector and the ducts on the canvas by them, as a
 * player finds them by eye, so it imports this file (which imports nothing).
 */
export const COLORS = {
  sky: '#dbe9f4',
  wall: '#c7d6e3',
  ceiling: '#eef1f4',
  ceilingSeam: '#b5bfc9',
  carpet: '#6d4f7f',
  carpetWeave: '#5a3f6a',
  duct: '#8a97a5',
  ductEdge: '#5d6975',
  draftUp: '#3d7bd9',
  draftDown: '#d9673d',
  detector: '#f4c542',
  detectorEdge: '#9a7410',
  arm: '#3a3a3a',
  crash: '#d0312d',
  banner: 'rgba(23, 50, 77, 0.85)',
  gold: '#ffd35c',
} as const;
