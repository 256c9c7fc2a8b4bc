/**
 * A minimal WebAssembly binary encoder: just enough to write the fingerprint kernels (fingerprint-kernels.ts) as
 * readable TypeScript instead of shipping an opaque .wasm file or needing a toolchain. Encoding follows the
 * WebAssembly core specification 2.0, section 5 "Binary Format" (https://webassembly.github.io/spec/core/binary/),
 * including the fixed-width SIMD proposal's opcodes (0xfd prefix), which Node ≥ 16.4 runs natively.
 */

export const ValType = { i32: 0x7f, i64: 0x7e, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (text: string): number[] => {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instruction helpers: each returns the bytes of one instruction. `memarg` alignment is log2(bytes). */
const mem = (opcode: number, align: number, offset = 0): number[] => [opcode, ...uleb(align), ...uleb(offset)];
const simd = (opcode: number): number[] => [0xfd, ...uleb(opcode)];
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  select: [0x1b],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Load: (offset = 0) => mem(0x28, 2, offset),
  i64Load: (offset = 0) => mem(0x29, 3, offset),
  i32Store: (offset = 0) => mem(0x36, 2, offset),
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i64Const0: [0x42, 0x00],
  f64Const: (v: number) => {
    const bytes = new Uint8Array(new Float64Array([v]).buffer);
    return [0x44, ...bytes];
  },
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  f64Lt: [0x63],
  f64Ge: [0x66],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i64Popcnt: [0x7b],
  i64Add: [0x7c],
  i64And: [0x83],
  f64Div: [0xa3],
  i32WrapI64: [0xa7],
  f64ConvertI32U: [0xb8],
  v128Load: (offset = 0) => [0xfd, ...uleb(0x00), ...uleb(4), ...uleb(offset)],
  i32x4ExtractLane: (lane: number) => [...simd(0x1b), lane],
  v128AndNot: simd(0x4f),
  v128Or: simd(0x50),
  v128AnyTrue: simd(0x53),
  i8x16Add: simd(0x6e),
  i8x16MinU: simd(0x77),
  i16x8ExtaddPairwiseI8x16U: simd(0x7d),
  i32x4ExtaddPairwiseI16x8U: simd(0x7f),
  i16x8Add: simd(0x8e),
} as const;

export interface FunctionDef {
  name: string;
  params: ValType[];
  results: ValType[];
  /** Extra locals after the parameters, in order. */
  locals: ValType[];
  body: readonly (readonly number[])[];
}

/** A module importing one memory as env.memory and exporting `functions` by name. */
export function encodeModule(functions: readonly FunctionDef[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  // env.memory: a memory of at least 1 page with no maximum (limits flag 0x00).
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]));
  const codes = vec(functions.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body.flat(), 0x0b];
    return [...uleb(body.length), ...body];
  }));
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, codes),
  ]);
}
