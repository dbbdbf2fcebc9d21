/** Types of scripts/run-app.js for the TypeScript that imports it (the bench). */
/** dist/apps/<app>/src/<entry>.js when the build is newer than every source it compiles, else undefined. */
export declare function freshBuildOf(app: string, entry: string): string | undefined;
