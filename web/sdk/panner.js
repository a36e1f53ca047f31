// WebAudio placement for positional voice: one PannerNode per remote voice (HRTF, the room's fade model mapped by
// spatial-math.js pannerSettings()) and the context's AudioListener as my own ears. Positions and orientations
// are plain {x, y, z}; AudioParams are set where the browser has them, else the older setPosition/setOrientation.

/** Applies `settings` (pannerSettings()), `position` and `orientation.forward` to `panner`. */
export function placePanner(panner, { settings, position, orientation }) {
  for (const [key, value] of Object.entries(settings)) if (panner[key] !== value) panner[key] = value;
  setVector(panner, 'position', position, () => panner.setPosition?.(position.x, position.y, position.z));
  const f = orientation.forward;
  setVector(panner, 'orientation', f, () => panner.setOrientation?.(f.x, f.y, f.z));
}

/** Puts the context's listener (me) at `position`, facing `orientation.forward` with `orientation.up` up. */
export function placeListener(listener, position, orientation) {
  if (!listener) return;
  setVector(listener, 'position', position, () => listener.setPosition?.(position.x, position.y, position.z));
  const { forward: f, up: u } = orientation;
  if (listener.forwardX) {
    setVector(listener, 'forward', f);
    setVector(listener, 'up', u);
  } else {
    listener.setOrientation?.(f.x, f.y, f.z, u.x, u.y, u.z);
  }
}

function setVector(node, name, v, fallback) {
  const x = node[`${name}X`];
  if (!x) return fallback?.();
  x.value = v.x;
  node[`${name}Y`].value = v.y;
  node[`${name}Z`].value = v.z;
}
