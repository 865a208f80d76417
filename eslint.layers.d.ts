/** Types of eslint.layers.js (plain JS: eslint.config.js imports it without a TypeScript loader). */
import type { Linter } from 'eslint'

export declare const oauthIsPure: Linter.Config
export declare const commandsImportNoCommand: Linter.Config
export declare const emulatorIsIndependent: Linter.Config[]
export declare const onlyHttpFetches: Linter.Config
export declare const onlyTheSessionOpensBrowsers: Linter.Config
export declare const restrictedProperties: { object?: string; property: string; message: string }[]
export declare const layerRules: Linter.Config[]
