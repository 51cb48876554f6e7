/**
 * Origins that look like the ConnectWise origin `https://na.myconnectwise.net` but are not.
 * Each passes some published broken check (indexOf, startsWith, endsWith, reversed
 * startsWith, unescaped regex, "null" in the list, Unicode look-alikes): engineering.md §1.3.
 * The origin matcher and the pod's protocol client must both refuse every one.
 */
export const hostileOrigins: readonly string[] = [
  'https://na.myconnectwise.net.evil.com',
  'https://evil.com/na.myconnectwise.net',
  'https://evil.com',
  'http://na.myconnectwise.net',
  'https://na.myconnectwise.net:444',
  'null',
  'https://NA.MYCONNECTWISE.NET.evil.com',
  'https://evilmyconnectwise.net',
  'https://na.my',
  'https://naxmyconnectwise.net',
  'https://na.myconnectwise.net@evil.com',
  'https://nа.myconnectwise.net',
  'https://xn--n-7sb.myconnectwise.net',
  'https://ｎａ.myconnectwise.net',
  '',
  'https://na.myconnectwise.net.',
  'https://eu.myconnectwise.net',
  'https://api-na.myconnectwise.net',
  'wss://na.myconnectwise.net',
];
