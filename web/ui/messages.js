// Human messages for SDK errors, shown in the page's role="alert" element.

/**
 * @param {{code?: string, message?: string}} error a ParleyError (or any Error)
 * @returns {string}
 */
export function messageFor(error) {
  const server = error?.message ? String(error.message) : '';
  switch (error?.code) {
    case 'microphone-denied':
      return 'Microphone access is blocked. Allow this site to use your microphone (look for the microphone icon in the address bar), then press Join again.';
    case 'microphone-not-found':
      return 'No microphone was found. Connect a microphone or headset, then press Join again.';
    case 'microphone-busy':
      return 'Your microphone could not be started. Close other apps that may be using it, then press Join again.';
    case 'microphone-unavailable':
      return 'This browser cannot use a microphone on this page. Open it over https (or on localhost) in an up-to-date browser.';
    case 'server-unreachable':
      return 'Cannot reach the Parley server. Check your internet connection, or try again in a moment.';
    case 'tracker-unreachable':
      return 'Cannot reach the tracker this room meets through. Check the tracker address and your internet connection, or try again in a moment.';
    case 'needs-server':
      return server || 'That needs a Parley server, and this room meets without one.';
    case 'connection-lost':
      return 'The connection to the server was lost. Press Join to reconnect.';
    case 'session-replaced':
      return 'You joined this room again from another tab or device, so this page left the call.';
    case 'invalid-token':
      return 'The server could not resume your session. Press Join to join the room again.';
    case 'timeout':
      return 'The server is taking too long to answer. Please try again.';
    case 'room-full':
      return `${server || 'This room is full.'} Try again later or pick another room.`;
    case 'server-full':
    case 'server-busy':
      return `${server || 'The server is busy.'} Please try again later.`;
    case 'invalid-name':
      return server || 'That name cannot be used. Please choose another one.';
    case 'invalid-room':
      return server || 'That room name cannot be used. Please choose another one.';
    case 'invalid-channel':
      return server || 'The settings of this positional room are not valid.';
    case 'unsupported-protocol':
      return 'This page is out of date for the server. Reload the page and try again.';
    case 'too-many-errors':
    case 'slow-consumer':
    case 'join-timeout':
      return `${server || 'The server closed the connection.'} Press Join to reconnect.`;
    case 'token-expired':
      return 'Your invitation link has expired. Ask for a new link to join.';
    case 'token-not-yet-valid':
      return 'Your invitation link is not valid yet. Check the clock of your device, or try again in a minute.';
    case 'token-wrong-room':
      return 'Your invitation link is for another room.';
    case 'token-missing':
    case 'token-malformed':
    case 'token-algorithm':
    case 'token-unknown-key':
    case 'token-signature':
    case 'token-no-identity':
    case 'token-no-grant':
      return 'Your invitation link is invalid. Ask for a new link to join.';
    case 'banned':
      return 'You cannot join this room: you were removed from it, or banned for a while.';
    case 'room-locked':
      return 'This room is locked: a moderator closed it to new people. Try again later.';
    case 'removed':
      return 'You were removed from the room.';
    case 'room-deleted':
      return 'This room was closed.';
    case 'duplicate-identity':
      return 'You joined this room from another tab or device, so this page left the call.';
    case 'forbidden':
      return server || 'You are not allowed to do that.';
    case 'microphone-error':
      return server || 'The microphone could not be used. Check it, then press Join again.';
    default:
      return server || 'Something went wrong. Please try again.';
  }
}
