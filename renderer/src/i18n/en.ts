// English: the reference resource. Every other language has exactly these keys (checked by type).
export const en = {
  app: {
    name: 'Tack',
    starting: 'Starting Tack…',
  },
  missingToken: {
    title: 'Open Tack from its launch link',
    body: 'This page needs the link the Tack host printed when it started (it ends in #token=…). Open that URL in this browser.',
  },
  unreachable: {
    title: 'Cannot reach the Tack host',
    body: 'Check that the Tack host is still running. If it was restarted, open the new URL it printed.',
    detail: 'Details: {{message}}',
    waiting: 'Trying again in the background…',
  },
  login: {
    title: 'Sign in to Tack',
    server: 'Server address',
    username: 'Username',
    password: 'Password',
    submit: 'Sign in',
    submitting: 'Signing in…',
    demoHint: 'Demo: alice / demo1234',
    badCredentials: 'Wrong username or password',
    signedOut: 'You were signed out: {{reason}}',
  },
  connection: {
    label: 'Connection',
    connecting: 'Connecting…',
    online: 'Online',
    waiting: 'Connection lost. Retrying in {{seconds}} s',
    waitingSoon: 'Connection lost. Retrying…',
    offline: 'Offline',
    retryNow: 'Retry now',
    hostLost: 'Lost contact with the Tack host. Reconnecting…',
  },
  nav: {
    label: 'Main',
    chats: 'Chats',
    contacts: 'Contacts',
    signOut: 'Sign out',
    unread: '{{total}} unread',
  },
  conversations: {
    label: 'Conversations',
    empty: 'No conversations yet. Start one from Contacts.',
    noMessages: 'No messages yet',
    mine: 'You: {{text}}',
    fromOther: '{{name}}: {{text}}',
    unread: '{{total}} unread',
  },
  chat: {
    placeholder: 'Select a conversation to start chatting',
    members: '{{total}} members',
    messages: 'Messages',
    empty: 'No messages yet. Say hello!',
    unknownSender: 'Unknown',
    state: {
      sending: 'Sending…',
      sent: 'Sent',
      failed: 'Not sent',
    },
  },
  composer: {
    label: 'Message',
    placeholder: 'Write a message. Enter sends, Shift+Enter adds a line.',
    send: 'Send',
    failed: 'Could not send: {{message}}',
  },
  contacts: {
    title: 'Contacts',
    loading: 'Loading contacts…',
    empty: 'No people in the directory yet.',
    you: 'you',
    otherDepartment: 'Other',
    openFailed: 'Could not open the conversation: {{message}}',
    newGroup: 'New group',
  },
  group: {
    title: 'New group',
    titleLabel: 'Group title',
    titlePlaceholder: 'e.g. Launch planning',
    members: 'Members',
    selected: '{{total}} selected',
    create: 'Create group',
    creating: 'Creating…',
    cancel: 'Cancel',
    failed: 'Could not create the group: {{message}}',
  },
  errors: {
    unexpected: 'Something went wrong: {{message}}',
  },
}

/** The shape every language fills in: the same keys, any words. */
export type Messages = typeof en
