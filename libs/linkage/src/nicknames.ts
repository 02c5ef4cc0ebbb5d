/**
 * Diminutive groups: names in one group are the same given name for matching (William ~ Bill ~ Liam).
 * A name may sit in several groups (Chris: Christopher and Christine); it then matches any of them.
 */
const GROUPS = `william bill billy will willy liam wills
robert bob bobby rob robbie bert
richard rick ricky dick rich richie
james jim jimmy jamie jem
john jack johnny jon
michael mike mick mickey mikey
christopher chris kit topher
christine chris chrissie tina kirsty
thomas tom tommy
daniel dan danny
matthew matt matty
anthony tony ant
edward ed eddie ted teddy ned
benjamin ben benny
samuel sam sammy
samantha sam sammy
joseph joe joey
alexander alex alec sandy xander
alexandra alex sandra sandy lexi
andrew andy drew
david dave davey
stephen steve stevie steven
peter pete
joshua josh
jacob jake
henry harry hal hank
charles charlie chuck chaz
charlotte charlie lottie lotte
frederick fred freddie freddy
theodore theo ted
elizabeth liz lizzie beth betty bet eliza elsie libby lisa
margaret maggie meg peggy margie marge
katherine kate katie kath kathy kat kitty
catherine cathy kate katie cath
victoria vicky vicki tori
jennifer jenny jen
rebecca becky becca
jessica jess jessie
patricia pat trish patty
susan sue susie suzy
deborah debbie deb
nicola nicky nic
nicholas nick nicky
isabella bella izzy isabel
florence flo florrie
amelia millie amy
olivia liv livvy
sophia sophie
evelyn evie
barbara babs barb
dorothy dot dottie
harriet hattie
imogen immy
matilda tilly matty
gemma gem
danielle dani
gabriel gabe
gabrielle gabby
timothy tim timmy
jonathan jon jonny
nathaniel nat nate
nathan nate nat
zachary zach zack
lawrence larry laurie
leonard len lenny leo
kenneth ken kenny
ronald ron ronnie
donald don donnie
gerald gerry
gerard gerry
raymond ray
terence terry
philip phil pip
phillip phil
gregory greg
jeffrey jeff
geoffrey geoff jeff
douglas doug
francis frank fran
frances fran fanny
abigail abby gail
deborah debs
eleanor ellie nell nora
helen nell
mary molly polly mae
anne annie nan
ann annie
caroline carrie caro
louise lou lulu
lucy lu
joanne jo
josephine jo josie
kimberly kim
melissa mel missy
melanie mel
pamela pam
penelope penny
rosemary rose rosie
susannah sue susie
valerie val
veronica ronnie`;

const GROUP_INDEX = new Map<string, number[]>();
GROUPS.split('\n').forEach((line, group) => {
  for (const name of line.trim().split(/\s+/)) GROUP_INDEX.set(name, [...(GROUP_INDEX.get(name) ?? []), group]);
});

/** True when the two (normalised) given names are diminutives of one another. */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false;
  const ga = GROUP_INDEX.get(a);
  const gb = GROUP_INDEX.get(b);
  return Boolean(ga && gb && ga.some((g) => gb.includes(g)));
}

/** The group ids of a name, for blocking keys that survive a nickname. */
export function nicknameGroups(name: string): readonly number[] {
  return GROUP_INDEX.get(name) ?? [];
}
