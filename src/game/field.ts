/**
 * The playing field and the physics of the original Drafty Bird, in pixels and 60 Hz steps. The game
 * (web/) plays by these numbers and the server (src/) derives from them how fast a score can grow, so
 * they live in one file that neither side owns: plain constants, no Node or DOM APIs.
 */
export const FIELD_WIDTH = 960;
export const FIELD_HEIGHT = 540;
export const STEPS_PER_SECOND = 60;
/** The ceiling tiles along the top and the carpet along the bottom: touching either ends a run. */
export const CEILING_HEIGHT = 16;
export const FLOOR_HEIGHT = 28;

export const DETECTOR_X = 240;
export const DETECTOR_RADIUS = 18;
/** Downward acceleration per step, px/step². */
export const GRAVITY = 0.42;
/** Vertical speed right after a flap, px/step (negative is up). */
export const FLAP_VELOCITY = -7.4;
export const MAX_FALL_SPEED = 11;

export const DUCT_WIDTH = 88;
export const DUCT_SPACING = 300;
/** Left edge of the first duct when a run starts: just off the right side of the field. */
export const FIRST_DUCT_X = FIELD_WIDTH + 120;
/** Horizontal speed of the ducts, px/step (180 px/s). */
export const DUCT_SPEED = 3;
/** Gap height by draft level 1, 2, 3. */
export const GAP_HEIGHTS = [150, 180, 220] as const;
/** Largest change of gap centre between neighbouring ducts. */
export const MAX_GAP_SHIFT = 180;
/** Keeps every gap fully inside the field with some duct above and below it. */
export const GAP_MARGIN = 40;
/** Vertical acceleration while inside a duct, per draft level, px/step². */
export const DRAFT_PUSH_PER_LEVEL = 0.06;

/** A humorous line every this many points. */
export const STATUS_EVERY = 5;
