// The page's tracker parameters (web/README.md, "Meeting without a server"):
//   /?room=R&name=N&tracker=wss://tracker.example/announce   meet through that WebTorrent tracker (repeat the
//                                                             parameter, or separate URLs by commas, for several)
//   &password=P         the room's password: only pages with the same room name and password meet
//   &tracker-mode=fallback  join through this Parley server, through the trackers only if the server cannot be reached
//   &stun=stun:host:port    ICE servers for the connections made through trackers (repeatable); none by default
// The password is never put back in the address or in the share link.

/** The ParleyRoom options of the page's address: {} without `tracker`. */
export function trackerOptionsFrom(params) {
  const tracker = params.getAll('tracker').flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  if (tracker.length === 0) return {};
  const options = { tracker, trackerMode: params.get('tracker-mode') === 'fallback' ? 'fallback' : 'only' };
  const stun = params.getAll('stun').filter(Boolean);
  if (stun.length) options.trackerIceServers = [{ urls: stun }];
  return options;
}

/** What the address and the share link keep of them: `&tracker=...` (and the mode, the STUN servers), never the password. */
export function trackerSearch(params) {
  const kept = new URLSearchParams();
  for (const key of ['tracker', 'tracker-mode', 'stun']) for (const value of params.getAll(key)) kept.append(key, value);
  const text = kept.toString();
  return text ? `&${text}` : '';
}
