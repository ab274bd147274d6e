/**
 * Token counting for the handoff budget: Anthropic's published Claude tokenizer
 * (`@anthropic-ai/tokenizer`, a BPE through tiktoken's WebAssembly build). Loaded on first use only
 * (about 0.2 s): no other command pays for it. It is the tokenizer Anthropic published: the count is
 * exact for it, and approximate for newer Claude models, which tokenize somewhat differently.
 */
export interface TokenCounter {
  count(text: string): number;
}

let counter: TokenCounter | null = null;

export async function tokenCounter(): Promise<TokenCounter> {
  if (counter) return counter;
  const mod: any = await import('@anthropic-ai/tokenizer');
  const tokenizer = (mod.getTokenizer ? mod : mod.default).getTokenizer();
  counter = {
    count: (text: string) => tokenizer.encode(text.normalize('NFKC'), 'all').length,
  };
  return counter;
}
