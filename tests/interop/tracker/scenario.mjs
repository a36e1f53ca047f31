// One WebTorrent tracker scenario, run unchanged against Parley's /announce and against the reference tracker
// (bittorrent-tracker's Server, started here on a free loopback port, WebSocket only), with bittorrent-tracker's own
// client. Usage: node tracker/scenario.mjs <ws://host:port/announce | reference>. Prints one JSON object: what the
// clients observed, in a form that does not depend on which tracker answered (ids are random per run). The .NET test
// compares the two runs.
import { register } from 'node:module'
import { randomBytes } from 'node:crypto'

register('./hooks.mjs', import.meta.url)
const { default: Client, Server } = await import('bittorrent-tracker')
const { default: WebSocket } = await import('ws')

const target = process.argv[2]
let server
let announce = target
if (target === 'reference') {
  server = new Server({ udp: false, http: false, stats: false, ws: true })
  await new Promise((resolve, reject) => {
    server.on('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  announce = `ws://127.0.0.1:${server.ws.address().port}/announce`
}

const deadline = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms).unref())
const within = (promise, what, ms = 10000) => Promise.race([promise, deadline(ms, what)])
const hex = n => randomBytes(n).toString('hex')
const infoHash = hex(20)
const observed = {}

// Each client gets its own socket (bittorrent-tracker pools one per URL): a query string tells them apart.
function client (name, opts = {}) {
  const c = new Client({ infoHash, peerId: hex(20), announce: [`${announce}?client=${name}`], port: 6881, wrtc: {}, ...opts })
  c.warnings = []
  c.on('warning', err => c.warnings.push(err.message))
  c.on('error', err => c.warnings.push(`error: ${err.message}`))
  return c
}

const nextEvent = (emitter, event, what) => within(new Promise(resolve => emitter.once(event, resolve)), what)
const counts = data => ({ complete: data.complete, incomplete: data.incomplete })

async function scrape (c, what) {
  const result = nextEvent(c, 'scrape', what)
  c.scrape()
  return counts(await result)
}

async function waitForScrape (c, wanted, what) {
  for (let i = 0; i < 50; i++) {
    const got = await scrape(c, what)
    if (got.complete === wanted.complete && got.incomplete === wanted.incomplete) return got
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`${what}: the counts never became ${JSON.stringify(wanted)}`)
}

try {
  // 1. A alone: the announce reply (interval, counts, its own info_hash); its offers have no one to go to.
  const a = client('a')
  const aUpdate = nextEvent(a, 'update', 'the reply to A\'s announce')
  a.start()
  const first = await aUpdate
  observed.firstReply = { ...counts(first), hasInterval: Number.isInteger(first.interval) && first.interval > 0, infoHash: first.infoHash === infoHash }

  // 2. B joins: its offer reaches A (from B's peer id), A's answer comes back to B for that very offer, untouched.
  const b = client('b')
  const aGetsOffer = nextEvent(a, 'peer', 'B\'s offer reaching A')
  const bGetsAnswer = nextEvent(b, 'peer', 'A\'s answer reaching B')
  const bUpdate = nextEvent(b, 'update', 'the reply to B\'s announce')
  b.start()
  observed.secondReply = counts(await bUpdate)
  const offerAtA = await aGetsOffer
  const answerAtB = await bGetsAnswer
  observed.offer = { fromB: offerAtA.id === b.peerId, received: offerAtA.received.map(d => d.type) }
  observed.answer = {
    fromA: answerAtB.id === a.peerId,
    answersBsOffer: answerAtB.received.length === 1 && answerAtB.received[0].sdp === `answer-to:${answerAtB.offerSdp}`,
    type: answerAtB.received[0]?.type
  }

  // 3. Scrape, one info hash and several (one unknown).
  observed.scrape = await scrape(a, 'A\'s scrape')
  const other = hex(20)
  const many = new Promise(resolve => {
    const files = {}
    const onScrape = data => {
      files[data.infoHash === infoHash ? 'ours' : data.infoHash === other ? 'other' : 'unexpected'] = counts(data)
      if (Object.keys(files).length === 2) {
        a.off('scrape', onScrape)
        resolve(files)
      }
    }
    a.on('scrape', onScrape)
  })
  a.scrape({ infoHash: [infoHash, other] })
  observed.scrapeMany = await within(many, 'a scrape of two info hashes')

  // 4. stopped: B leaves; the reply counts without it.
  const bStopped = nextEvent(b, 'update', 'the reply to B\'s stop')
  b.stop()
  observed.stoppedReply = counts(await bStopped)
  observed.afterStop = await waitForScrape(a, { complete: 0, incomplete: 1 }, 'the scrape after B stopped')

  // 5. A socket close is `stopped` in every swarm it joined: C joins, its socket closes.
  const c = client('c')
  const cUpdate = nextEvent(c, 'update', 'the reply to C\'s announce')
  c.start()
  observed.cReply = counts(await cUpdate)
  c.destroy()
  observed.afterClose = await waitForScrape(a, { complete: 0, incomplete: 1 }, 'the scrape after C\'s socket closed')

  // 6. Errors the client reports (its 'warning'): an invalid event keeps action and info_hash, so it is A's warning.
  const aWarning = nextEvent(a, 'warning', 'the failure reason for an invalid event')
  a._trackers[0].announce({ numwant: 0, uploaded: 0, downloaded: 0, event: 'bogus' }) // update() would drop the event
  observed.invalidEvent = (await aWarning).message

  // 7. Errors on a raw socket: a malformed id, and a message that is not JSON.
  const raw = new WebSocket(`${announce}?client=raw`)
  await within(new Promise((resolve, reject) => { raw.on('open', resolve); raw.on('error', reject) }), 'a raw socket')
  const reply = message => within(new Promise(resolve => {
    raw.once('message', data => resolve(JSON.parse(data.toString())))
    raw.send(message)
  }), `the reply to ${message}`)
  const shortId = await reply(JSON.stringify({ action: 'announce', info_hash: 'x'.repeat(19), peer_id: 'p'.repeat(20), numwant: 0 }))
  observed.shortInfoHash = shortId['failure reason']
  observed.shortInfoHashAction = shortId.action ?? null
  const badPeer = await reply(JSON.stringify({ action: 'announce', info_hash: 'i'.repeat(20), peer_id: 'short', numwant: 0 }))
  observed.shortPeerId = badPeer['failure reason']
  const notJson = await reply('{ not json')
  observed.notJson = typeof notJson['failure reason'] === 'string'
  raw.close()

  observed.warningsA = a.warnings.filter(w => w !== observed.invalidEvent)
  a.destroy()
  b.destroy()
  console.log(JSON.stringify(observed))
} finally {
  server?.close()
  setTimeout(() => process.exit(0), 200).unref()
}
