/** The BuildInfo provider's token. */
export const BUILD_INFO = Symbol('BUILD_INFO');
