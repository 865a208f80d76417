/** Time for the emulator. Expiry is judged by this clock only, so tests advance it instead of waiting. */
export interface Clock {
  now(): number
}

export class ControllableClock implements Clock {
  #offset = 0
  now(): number {
    return Date.now() + this.#offset
  }
  advance(ms: number): void {
    this.#offset += ms
  }
  set(epochMs: number): void {
    this.#offset = epochMs - Date.now()
  }
  reset(): void {
    this.#offset = 0
  }
}
