/**
 * Who sends traffic: search engines, social networks and webmail providers, for the channel
 * classifier (`channel.ts`). An entry with a dot matches that host and its subdomains
 * (`mail.google.com`); an entry without one is a brand and matches it under any TLD
 * (`google` → google.com, google.com.vn, news.google.co.uk). Webmail is checked first, so
 * `mail.google.com` is email, not search. `host=name` gives the source name to report.
 */

/** Webmail hosts: a click from a mail client is the email channel. */
export const EMAIL_PROVIDERS = [
  'mail.google.com=gmail',
  'inbox.google.com=gmail',
  'outlook.live.com=outlook',
  'outlook.office.com=outlook',
  'outlook.office365.com=outlook',
  'mail.yahoo.com=yahoo_mail',
  'mail.yahoo.co.jp=yahoo_mail',
  'mail.aol.com=aol_mail',
  'mail.proton.me=proton',
  'mail.protonmail.com=proton',
  'mail.zoho.com=zoho_mail',
  'mail.yandex.ru=yandex_mail',
  'e.mail.ru=mail.ru',
  'mail.gmx.net=gmx',
  'navigator.web.de=web.de',
  'icloud.com=icloud',
  'fastmail.com=fastmail',
  'mail.qq.com=qq_mail',
] as const;

/** Search engines (brands or hosts). */
export const SEARCH_ENGINES = [
  'google',
  'bing',
  'yahoo',
  'duckduckgo',
  'baidu',
  'yandex',
  'ecosia',
  'naver',
  'seznam',
  'qwant',
  'startpage',
  'search.brave.com=brave',
  'coccoc',
  'sogou',
  'so.com=360',
  'ask',
  'aol',
  'daum',
  'yahoo.co.jp=yahoo',
  'search.yahoo.com=yahoo',
  'kagi',
  'perplexity',
  'chatgpt',
  'you.com=you',
] as const;

/** Social networks (brands or hosts), with their short-link domains. */
export const SOCIAL_NETWORKS = [
  'facebook',
  'fb.com=facebook',
  'fb.me=facebook',
  'messenger.com=facebook',
  'instagram',
  'twitter',
  't.co=twitter',
  'x.com=twitter',
  'linkedin',
  'lnkd.in=linkedin',
  'youtube',
  'youtu.be=youtube',
  'tiktok',
  'reddit',
  'pinterest',
  'pin.it=pinterest',
  'snapchat',
  'threads.net=threads',
  'zalo.me=zalo',
  'chat.zalo.me=zalo',
  'tumblr',
  'quora',
  'vk.com=vk',
  'weibo',
  't.me=telegram',
  'telegram.org=telegram',
  'whatsapp',
  'wa.me=whatsapp',
  'discord',
  'mastodon.social=mastodon',
  'bsky.app=bluesky',
  'medium.com=medium',
  'news.ycombinator.com=hackernews',
  'producthunt.com=producthunt',
  'line.me=line',
  'kakao',
] as const;
