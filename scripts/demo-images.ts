/**
 * Draws the demo store's pictures (ADR 0036): one 256×256 PNG per demo item in `public/demo/<sku>.png`, made of
 * simple shapes by this script — no artwork of anyone else. Run `npx tsx scripts/demo-images.ts` after changing it;
 * (or name skus to redraw only those); the PNGs are committed (the server only serves them), and src/demo/*.json name them as `/static/demo/<sku>.png`.
 *
 * Geometry is in a 100×100 space; each pixel is the average of 4×4 samples (anti-aliasing); PNG encoding is pngjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const SIZE = 256;
const SAMPLES = 4;
const OUT = fileURLToPath(new URL('../public/demo/', import.meta.url));

type RGBA = [number, number, number, number]; // r, g, b 0–255; a 0–1
type Paint = RGBA | ((x: number, y: number) => RGBA);
type Shape = (x: number, y: number) => boolean;

// ---- colours and paints -----------------------------------------------------------------------------------------
const hex = (h: string, a = 1): RGBA => {
  const n = parseInt(h.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, a];
};
const mix = (c0: RGBA, c1: RGBA, t: number): RGBA => {
  const k = Math.min(1, Math.max(0, t));
  return [0, 1, 2, 3].map((i) => c0[i] + (c1[i] - c0[i]) * k) as RGBA;
};
/** Linear gradient from (x0,y0) colour c0 to (x1,y1) colour c1. */
const linear =
  (x0: number, y0: number, c0: RGBA, x1: number, y1: number, c1: RGBA): Paint =>
  (x, y) => {
    const dx = x1 - x0;
    const dy = y1 - y0;
    return mix(c0, c1, ((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy));
  };
/** Radial gradient: c0 at (cx,cy), c1 at distance r. */
const radial =
  (cx: number, cy: number, r: number, c0: RGBA, c1: RGBA): Paint =>
  (x, y) =>
    mix(c0, c1, Math.hypot(x - cx, y - cy) / r);

// ---- shapes -------------------------------------------------------------------------------------------------------
const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse =
  (cx: number, cy: number, rx: number, ry: number): Shape =>
  (x, y) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const rect =
  (x0: number, y0: number, x1: number, y1: number, r = 0): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
/** Polygon, even-odd rule. */
const poly =
  (pts: [number, number][]): Shape =>
  (x, y) => {
    let inside = false;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const [xi, yi] = pts[i];
      const [xj, yj] = pts[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };
/** A segment of width w with round ends. */
const capsule =
  (ax: number, ay: number, bx: number, by: number, w: number): Shape =>
  (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= w / 2;
  };
/** Ring between radii r0 and r1, optionally only between angles a0 and a1 (degrees, clockwise from +x). */
const band =
  (cx: number, cy: number, r0: number, r1: number, a0 = 0, a1 = 360): Shape =>
  (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    if (d < r0 || d > r1) return false;
    const a = ((Math.atan2(y - cy, x - cx) * 180) / Math.PI + 360) % 360;
    return a0 <= a1 ? a >= a0 && a <= a1 : a >= a0 || a <= a1;
  };
const star = (cx: number, cy: number, r0: number, r1: number, n = 5): Shape =>
  poly(
    Array.from({ length: n * 2 }, (_, i) => {
      const a = (Math.PI * i) / n - Math.PI / 2;
      const r = i % 2 === 0 ? r0 : r1;
      return [cx + r * Math.cos(a), cy + r * Math.sin(a)] as [number, number];
    }),
  );
const union =
  (...s: Shape[]): Shape =>
  (x, y) =>
    s.some((f) => f(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);
const within =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && b(x, y);
/** `shape` turned by `deg` degrees around (cx, cy). */
const rotate = (shape: Shape, deg: number, cx = 50, cy = 50): Shape => {
  const a = (-deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return (x, y) => shape(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c);
};
const rotatePaint = (paint: Paint, deg: number, cx = 50, cy = 50): Paint => {
  if (typeof paint !== 'function') return paint;
  const a = (-deg * Math.PI) / 180;
  const c = Math.cos(a);
  const s = Math.sin(a);
  return (x, y) => paint(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c);
};

// ---- the canvas ---------------------------------------------------------------------------------------------------
class Canvas {
  private readonly px = new Float64Array(SIZE * SIZE * 4); // straight RGBA, alpha 0–1

  /** Paints `shape` with `paint` over what is there (source-over). */
  fill(shape: Shape, paint: Paint): this {
    const scale = 100 / SIZE;
    for (let py = 0; py < SIZE; py++) {
      for (let px = 0; px < SIZE; px++) {
        let hits = 0;
        for (let sy = 0; sy < SAMPLES; sy++)
          for (let sx = 0; sx < SAMPLES; sx++)
            if (shape((px + (sx + 0.5) / SAMPLES) * scale, (py + (sy + 0.5) / SAMPLES) * scale)) hits++;
        if (!hits) continue;
        const cx = (px + 0.5) * scale;
        const cy = (py + 0.5) * scale;
        const [r, g, b, a] = typeof paint === 'function' ? paint(cx, cy) : paint;
        const src = (a * hits) / (SAMPLES * SAMPLES);
        const i = (py * SIZE + px) * 4;
        const dst = this.px[i + 3];
        const out = src + dst * (1 - src);
        for (const [k, v] of [r, g, b].entries())
          this.px[i + k] = out ? (v * src + this.px[i + k] * dst * (1 - src)) / out : 0;
        this.px[i + 3] = out;
      }
    }
    return this;
  }

  png(): Buffer {
    const png = new PNG({ width: SIZE, height: SIZE });
    for (let i = 0; i < this.px.length; i += 4) {
      png.data[i] = Math.round(this.px[i]);
      png.data[i + 1] = Math.round(this.px[i + 1]);
      png.data[i + 2] = Math.round(this.px[i + 2]);
      png.data[i + 3] = Math.round(this.px[i + 3] * 255);
    }
    return PNG.sync.write(png, { colorType: 6 });
  }
}

// ---- pieces -------------------------------------------------------------------------------------------------------
/** The rounded tile every picture sits on, in the tone of its kind. */
function tile(c: Canvas, top: string, bottom: string): void {
  c.fill(rect(3, 3, 97, 97, 14), linear(0, 3, hex(top), 0, 97, hex(bottom)));
  c.fill(rect(3, 3, 97, 97, 14), radial(50, 42, 48, hex('#ffffff', 0.16), hex('#ffffff', 0)));
}
const shadow = (c: Canvas, cx = 50, cy = 86, rx = 30, ry = 4.5) =>
  c.fill(ellipse(cx, cy, rx, ry), hex('#000000', 0.28));

interface Metal {
  light: string;
  mid: string;
  dark: string;
}
const GOLD: Metal = { light: '#fff3b0', mid: '#f2c232', dark: '#a8740c' };
const SILVER: Metal = { light: '#ffffff', mid: '#c9ced6', dark: '#7b838f' };
const BRONZE: Metal = { light: '#f6c89a', mid: '#c8793a', dark: '#7a431a' };

type Emblem = 'star' | 'moon' | 'diamond';
function coin(c: Canvas, cx: number, cy: number, r: number, m: Metal, emblem: Emblem): void {
  c.fill(circle(cx, cy, r), hex(m.dark));
  c.fill(circle(cx, cy, r * 0.9), radial(cx - r * 0.35, cy - r * 0.35, r * 1.5, hex(m.light), hex(m.mid)));
  c.fill(band(cx, cy, r * 0.7, r * 0.77), hex(m.dark, 0.75));
  const sym =
    emblem === 'star'
      ? star(cx, cy + r * 0.03, r * 0.46, r * 0.2)
      : emblem === 'moon'
        ? minus(circle(cx, cy, r * 0.42), circle(cx + r * 0.2, cy - r * 0.12, r * 0.36))
        : poly([
            [cx, cy - r * 0.46],
            [cx + r * 0.34, cy],
            [cx, cy + r * 0.46],
            [cx - r * 0.34, cy],
          ]);
  c.fill(sym, hex(m.dark));
  c.fill(
    within(circle(cx, cy, r * 0.9), ellipse(cx - r * 0.3, cy - r * 0.45, r * 0.5, r * 0.22)),
    hex('#ffffff', 0.3),
  );
}

/** A wooden chest; `front` draws on its front (lock by default). */
function chest(c: Canvas, front?: (c: Canvas) => void): void {
  shadow(c, 50, 84, 36, 5);
  const wood = linear(0, 30, hex('#b06a35'), 0, 82, hex('#6e3b18'));
  c.fill(rect(14, 46, 86, 82, 4), wood);
  c.fill(rect(14, 28, 86, 48, 9), linear(0, 28, hex('#c77d42'), 0, 48, hex('#8a4b22')));
  for (const y of [36, 58, 70]) c.fill(rect(14, y, 86, y + 0.8), hex('#4a260e', 0.35)); // planks
  const iron = linear(0, 28, hex('#e7c75a'), 0, 82, hex('#a77a16'));
  c.fill(rect(22, 28, 29, 82, 1), iron);
  c.fill(rect(71, 28, 78, 82, 1), iron);
  c.fill(rect(14, 45, 86, 49.5), hex('#3f210b'));
  if (front) front(c);
  else {
    c.fill(rect(43, 42, 57, 58, 2.5), iron);
    c.fill(union(circle(50, 48.5, 2.2), rect(49.1, 48.5, 50.9, 54)), hex('#3f210b'));
  }
}

/** A heater shield: flat top, sides curving to a point. */
function shieldShape(inset = 0): Shape {
  const pts: [number, number][] = [];
  const top = 16 + inset;
  const left = 22 + inset;
  const right = 78 - inset;
  const bottom = 90 - inset * 1.6;
  pts.push([left, top], [right, top]);
  for (let i = 0; i <= 24; i++) {
    const t = i / 24; // right side: straight down to 48, then a curve to the point
    const x = right - (right - 50) * t ** 1.6;
    const y = 48 + (bottom - 48) * Math.sin((t * Math.PI) / 2);
    pts.push([x, y]);
  }
  for (let i = 24; i >= 0; i--) {
    const t = i / 24;
    pts.push([left + (50 - left) * t ** 1.6, 48 + (bottom - 48) * Math.sin((t * Math.PI) / 2)]);
  }
  return poly(pts);
}

function helmetDome(): Shape {
  return union(within(circle(50, 56, 31), rect(0, 0, 100, 56)), rect(19, 52, 81, 60, 2));
}

// ---- the pictures -------------------------------------------------------------------------------------------------
const PICTURES: Record<string, (c: Canvas) => void> = {
  gold: (c) => {
    tile(c, '#2c3a66', '#151c36');
    shadow(c, 50, 85, 26, 4);
    coin(c, 50, 48, 33, GOLD, 'star');
  },
  silver: (c) => {
    tile(c, '#2c3a66', '#151c36');
    shadow(c, 50, 85, 26, 4);
    coin(c, 50, 48, 33, SILVER, 'moon');
  },
  bronze: (c) => {
    tile(c, '#2c3a66', '#151c36');
    shadow(c, 50, 85, 26, 4);
    coin(c, 50, 48, 33, BRONZE, 'diamond');
  },
  gold_chest: (c) => currencyChest(c, GOLD, 'star'),
  silver_chest: (c) => currencyChest(c, SILVER, 'moon'),
  bronze_chest: (c) => currencyChest(c, BRONZE, 'diamond'),
  sword: (c) => {
    tile(c, '#3b4257', '#1c2030');
    shadow(c, 50, 86, 28, 4);
    const steel = rotatePaint(linear(44, 0, hex('#f4f7fb'), 56, 0, hex('#8f9aab')), 45);
    const blade = poly([
      [50, 5],
      [56, 14],
      [56, 63],
      [44, 63],
      [44, 14],
    ]);
    c.fill(rotate(blade, 45), steel);
    c.fill(rotate(rect(49.3, 15, 50.7, 60), 45), hex('#6d7687', 0.8));
    c.fill(
      rotate(rect(33, 62, 67, 68, 2.5), 45),
      rotatePaint(linear(0, 62, hex('#f7d66b'), 0, 68, hex('#a87a12')), 45),
    );
    c.fill(rotate(rect(46, 68, 54, 86, 2), 45), hex('#6a3a1d'));
    for (const y of [72, 77, 82]) c.fill(rotate(rect(46, y, 54, y + 1.2), 45), hex('#3f210b', 0.6));
    c.fill(rotate(circle(50, 89, 5), 45), rotatePaint(radial(48, 87, 7, hex('#fff1a8'), hex('#b8860b')), 45));
  },
  saber: (c) => {
    tile(c, '#3b4257', '#1c2030');
    shadow(c, 50, 86, 28, 4);
    const edge: [number, number][] = [];
    const back: [number, number][] = [];
    for (let i = 0; i <= 40; i++) {
      const t = i / 40;
      const x = 50 + 16 * t * t;
      const y = 64 - 58 * t;
      const w = 10 * (1 - t ** 2.2) + 1;
      edge.push([x - w / 2, y]);
      back.push([x + w / 2, y]);
    }
    const blade = poly([...edge, ...back.reverse()]);
    c.fill(rotate(blade, -30), rotatePaint(linear(46, 0, hex('#f4f7fb'), 60, 0, hex('#8f9aab')), -30));
    const gold = rotatePaint(linear(0, 62, hex('#f7d66b'), 0, 90, hex('#a87a12')), -30);
    c.fill(rotate(band(50, 76, 11, 14, 270, 90), -30), gold); // knuckle guard
    c.fill(rotate(rect(40, 63, 58, 67, 2), -30), gold);
    c.fill(rotate(rect(46.5, 67, 53.5, 87, 2), -30), hex('#6a3a1d'));
    c.fill(rotate(circle(50, 89, 3.8), -30), gold);
  },
  bow: (c) => {
    tile(c, '#3b4257', '#1c2030');
    shadow(c, 50, 88, 28, 4);
    const wood = linear(0, 10, hex('#c98a4b'), 0, 90, hex('#7a4520'));
    c.fill(rotate(band(64, 50, 36, 41, 120, 240), 45), rotatePaint(wood, 45));
    const a0 = (120 * Math.PI) / 180;
    const a1 = (240 * Math.PI) / 180;
    const r = 38.5;
    c.fill(
      rotate(
        capsule(
          64 + r * Math.cos(a0),
          50 + r * Math.sin(a0),
          64 + r * Math.cos(a1),
          50 + r * Math.sin(a1),
          1.2,
        ),
        45,
      ),
      hex('#e8e2d0'),
    );
    c.fill(rotate(capsule(20, 50, 78, 50, 2.2), 45), hex('#d9b27c'));
    c.fill(
      rotate(
        poly([
          [86, 50],
          [76, 44],
          [78, 50],
          [76, 56],
        ]),
        45,
      ),
      hex('#c9ced6'),
    );
    c.fill(
      rotate(
        poly([
          [20, 50],
          [14, 44],
          [26, 44],
          [32, 50],
          [26, 56],
          [14, 56],
        ]),
        45,
      ),
      hex('#d94a3d'),
    );
  },
  electric_shield: (c) => {
    tile(c, '#1f3b63', '#0e1b30');
    shadow(c, 50, 90, 26, 4);
    c.fill(shieldShape(), linear(0, 16, hex('#e9eef5'), 0, 90, hex('#8b95a5')));
    c.fill(shieldShape(4), linear(0, 20, hex('#3d8bfd'), 0, 86, hex('#1746a2')));
    c.fill(
      poly([
        [55, 24],
        [38, 54],
        [49, 54],
        [44, 78],
        [63, 44],
        [52, 44],
      ]),
      linear(0, 24, hex('#fff7a8'), 0, 78, hex('#f5c400')),
    );
  },
  royal_shield: (c) => {
    tile(c, '#4a1f3d', '#22101e');
    shadow(c, 50, 90, 26, 4);
    c.fill(shieldShape(), linear(0, 16, hex('#f7d66b'), 0, 90, hex('#a87a12')));
    c.fill(shieldShape(4), linear(0, 20, hex('#c0263a'), 0, 86, hex('#6e0f1f')));
    const gold = linear(0, 34, hex('#fff1a8'), 0, 62, hex('#d4a017'));
    c.fill(
      union(
        rect(34, 54, 66, 61, 1.5),
        poly([
          [34, 55],
          [34, 38],
          [42, 47],
          [50, 34],
          [58, 47],
          [66, 38],
          [66, 55],
        ]),
        circle(34, 37, 2.6),
        circle(50, 33, 2.6),
        circle(66, 37, 2.6),
      ),
      gold,
    );
  },
  ancient_helmet: (c) => {
    tile(c, '#3d3a2a', '#1d1b12');
    shadow(c, 50, 86, 30, 4);
    c.fill(ellipse(50, 22, 26, 8), linear(0, 14, hex('#e0443a'), 0, 30, hex('#8c1c16')));
    c.fill(rect(46, 20, 54, 30), hex('#8c1c16'));
    const bronze = linear(0, 25, hex(BRONZE.light), 0, 80, hex(BRONZE.dark));
    c.fill(helmetDome(), bronze);
    c.fill(
      poly([
        [20, 58],
        [35, 58],
        [35, 80],
        [26, 76],
      ]),
      bronze,
    );
    c.fill(
      poly([
        [80, 58],
        [65, 58],
        [65, 80],
        [74, 76],
      ]),
      bronze,
    );
    c.fill(rect(47, 56, 53, 76, 1.5), bronze);
    c.fill(rect(36, 60, 46, 66, 2), hex('#1d1b12'));
    c.fill(rect(54, 60, 64, 66, 2), hex('#1d1b12'));
    c.fill(within(helmetDome(), ellipse(40, 36, 10, 6)), hex('#ffffff', 0.25));
  },
  wooden_helmet: (c) => {
    tile(c, '#2f3d2a', '#151d12');
    shadow(c, 50, 86, 30, 4);
    const dome = helmetDome();
    c.fill(dome, linear(0, 25, hex('#c98a4b'), 0, 60, hex('#7a4520')));
    c.fill(
      within(dome, (x, y) => Math.floor((y + 2 * Math.sin(x / 6)) / 5) % 2 === 0),
      hex('#4a260e', 0.22),
    );
    c.fill(rect(19, 52, 81, 60, 2), hex('#5d3416'));
    for (const x of [26, 38, 50, 62, 74]) c.fill(circle(x, 56, 1.6), hex('#d9d9d9'));
    c.fill(rect(47.5, 22, 52.5, 54, 1.5), hex('#5d3416', 0.8));
  },
  armor_chest: (c) => {
    // a helmet and a shield peeking out, a shield on the front
    const lift =
      (s: Shape): Shape =>
      (x, y) =>
        s(50 + (x - 33) * 1.9, 56 + (y - 28) * 1.9);
    c.fill(lift(helmetDome()), linear(0, 10, hex(BRONZE.light), 0, 34, hex(BRONZE.dark)));
    const tilt = (s: Shape): Shape =>
      rotate((x, y) => s(50 + (x - 66) * 2.2, 50 + (y - 28) * 2.2), 15, 66, 28);
    c.fill(tilt(shieldShape()), hex('#e9eef5'));
    c.fill(tilt(shieldShape(4)), hex('#1746a2'));
    chest(c, (cc) => {
      const small =
        (s: Shape): Shape =>
        (x, y) =>
          s(50 + (x - 50) * 3.2, 52 + (y - 63) * 3.2);
      cc.fill(small(shieldShape()), hex('#f2c232'));
      cc.fill(small(shieldShape(5)), hex('#c0263a'));
    });
  },
  treasure_chest: (c) => {
    shadow(c, 50, 84, 36, 5);
    for (const [x, y, col] of [
      [32, 27, '#e0443a'],
      [66, 26, '#2fb35a'],
    ] as const)
      c.fill(
        poly([
          [x, y - 8],
          [x + 6, y],
          [x, y + 8],
          [x - 6, y],
        ]),
        linear(0, y - 8, hex('#ffffff'), 0, y + 8, hex(col)),
      );
    coin(c, 48, 24, 9, GOLD, 'star');
    coin(c, 58, 29, 7, GOLD, 'star');
    chest(c);
  },
  xsollus_basic_edition: (c) => {
    shadow(c, 52, 92, 30, 3.5);
    c.fill(rect(20, 8, 80, 90, 3), linear(0, 8, hex('#1f4b7a'), 0, 90, hex('#0b1626')));
    c.fill(rect(20, 8, 26, 90, 2), hex('#0b1626', 0.7));
    for (const [x, y, r] of [
      [34, 18, 0.9],
      [70, 22, 1.1],
      [44, 30, 0.7],
      [72, 56, 0.8],
      [36, 58, 1],
      [60, 14, 0.7],
    ])
      c.fill(circle(x, y, r), hex('#ffffff', 0.9));
    c.fill(band(54, 42, 16, 20, 150, 30), hex('#9ad1ff', 0.55)); // ring behind the planet
    c.fill(circle(54, 42, 13), radial(49, 37, 20, hex('#ffd08a'), hex('#d9622b')));
    c.fill(
      within(band(54, 42, 16, 20, 0, 180), minus(rect(0, 0, 100, 100), circle(54, 42, 13))),
      hex('#9ad1ff', 0.8),
    );
    c.fill(rect(32, 70, 70, 75, 2.5), hex('#ffffff', 0.9));
    c.fill(rect(38, 79, 64, 82, 1.5), hex('#ffffff', 0.5));
  },
};

function currencyChest(c: Canvas, m: Metal, emblem: Emblem): void {
  tile(c, '#3a2a52', '#1b1228');
  coin(c, 34, 27, 10, m, emblem);
  coin(c, 66, 27, 10, m, emblem);
  coin(c, 50, 21, 12, m, emblem);
  chest(c);
}

// The two chests and the game have no tile of their own above: give them one.
for (const [sku, top, bottom] of [
  ['armor_chest', '#3a2a52', '#1b1228'],
  ['treasure_chest', '#3a2a52', '#1b1228'],
  ['xsollus_basic_edition', '#23304a', '#0f1522'],
] as const) {
  const draw = PICTURES[sku];
  PICTURES[sku] = (c) => {
    tile(c, top, bottom);
    draw(c);
  };
}

mkdirSync(OUT, { recursive: true });
const only = process.argv.slice(2); // `npx tsx scripts/demo-images.ts sword bow` redraws those only
for (const [sku, draw] of Object.entries(PICTURES)) {
  if (only.length && !only.includes(sku)) continue;
  const canvas = new Canvas();
  draw(canvas);
  writeFileSync(join(OUT, `${sku}.png`), canvas.png());
  process.stdout.write(`public/demo/${sku}.png\n`);
}
