import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';

/** The font every rasterised chart uses: shipped as an npm package, so no system font is needed. */
export const RASTER_FONT = 'DejaVu Sans';

const require = createRequire(import.meta.url);
let ready: Promise<Uint8Array[]> | undefined;

/** resvg (WebAssembly) and the DejaVu Sans faces, loaded once per process. */
function load(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
    return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map(
      (f) => new Uint8Array(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`))),
    );
  })();
  return ready;
}

/** Rasterises an SVG to PNG without a browser; any font family falls back to DejaVu Sans. */
export async function svgToPng(svg: string): Promise<Buffer> {
  const fontBuffers = await load();
  const r = new Resvg(svg, {
    background: '#ffffff',
    font: {
      fontBuffers,
      defaultFontFamily: RASTER_FONT,
      sansSerifFamily: RASTER_FONT,
      serifFamily: RASTER_FONT,
      monospaceFamily: RASTER_FONT,
    },
  });
  try {
    const image = r.render();
    const png = Buffer.from(image.asPng());
    image.free();
    return png;
  } finally {
    r.free();
  }
}
