/**
 * The slash commands Briefbot registers, and how an interaction's options become the
 * platform-neutral CommandRequest args the serving core understands.
 */
import { ApplicationCommandOptionType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Command names, as users type them. */
export const COMMAND = {
  brief: 'brief',
  follow: 'brief-follow',
  unfollow: 'brief-unfollow',
  ask: 'brief-ask',
} as const;

const topicOption = {
  name: 'topic',
  description: 'Topic id, e.g. china-ai',
  type: ApplicationCommandOptionType.String,
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;

/** The JSON body of `PUT /applications/{id}[/guilds/{gid}]/commands`. */
export const COMMAND_DEFINITIONS: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  {
    name: COMMAND.brief,
    description: 'Post the latest brief of a topic',
    options: [
      topicOption,
      {
        name: 'window',
        description: 'How far back to look',
        type: ApplicationCommandOptionType.String,
        required: false,
        choices: [
          { name: 'last 24 hours', value: '24h' },
          { name: 'last 7 days', value: '7d' },
        ],
      },
    ],
  },
  { name: COMMAND.follow, description: "Get this topic's scheduled brief in this channel", options: [topicOption] },
  { name: COMMAND.unfollow, description: "Stop this topic's scheduled brief in this channel", options: [topicOption] },
  {
    name: COMMAND.ask,
    description: "Ask a follow-up question inside a brief's thread",
    options: [
      {
        name: 'question',
        description: 'Your question about this brief',
        type: ApplicationCommandOptionType.String,
        required: true,
        max_length: 1000,
      },
    ],
  },
];

/**
 * Args for the core's command grammar: `/brief t w` → [t, w]; `/brief-follow t` →
 * ["follow", t]; `/brief-unfollow t` → ["unfollow", t].
 */
export function commandArgs(name: string, option: (key: string) => string | null): string[] | undefined {
  const topic = option('topic')?.trim() ?? '';
  switch (name) {
    case COMMAND.brief: {
      const window = option('window')?.trim();
      return window ? [topic, window] : [topic];
    }
    case COMMAND.follow:
      return ['follow', topic];
    case COMMAND.unfollow:
      return ['unfollow', topic];
    default:
      return undefined;
  }
}
