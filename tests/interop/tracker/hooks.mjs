// A node module hook (module.register): bittorrent-tracker's client gets fake-peer.mjs for its WebRTC peer.
const fakePeer = new URL('./fake-peer.mjs', import.meta.url).href

export async function resolve (specifier, context, nextResolve) {
  if (specifier === '@thaunknown/simple-peer/lite.js' || specifier === 'webrtc-polyfill') {
    return { url: fakePeer, shortCircuit: true }
  }
  return nextResolve(specifier, context)
}
