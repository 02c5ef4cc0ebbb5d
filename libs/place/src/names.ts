import { weighted } from '@joinedup/core';

/**
 * UK-plausible name frequency lists, compact: common names weigh more, and the tail holds rare names,
 * names with diacritics and hyphenated or double-barrelled surnames. Weights are rough relative
 * frequencies, not census counts.
 */
const FEMALE = `Olivia 60,Amelia 55,Isla 40,Ava 40,Mia 35,Ivy 30,Lily 35,Isabella 30,Rosie 20,Sophia 30,Grace 30,Freya 30,Florence 20,
Emily 40,Ella 30,Poppy 25,Evie 25,Sophie 30,Charlotte 30,Jessica 30,Sarah 40,Emma 35,Laura 30,Rebecca 25,Hannah 30,Lauren 25,
Chloé 4,Zoë 5,Siân 4,Niamh 8,Aoife 5,Saoirse 4,Ffion 4,Aisha 10,Fatima 10,Maryam 8,Zainab 6,Amira 6,Priya 8,Ananya 4,Elif 3,
Oluwaseun 2,Chiamaka 2,Agnieszka 3,Zofia 3,Małgorzata 2,Ioana 2,Elizabeth 25,Margaret 20,Susan 20,Patricia 15,Jennifer 15,
Katherine 15,Victoria 15,Catherine 15,Deborah 10,Christine 10,Janet 10,Karen 12,Nicola 12,Michelle 12,Kelly 10,Joanne 10,
Gemma 10,Danielle 8,Stacey 8,Kayleigh 6,Leanne 6,Jade 10,Amber 8,Summer 6,Willow 8,Maisie 8,Harriet 8,Beatrice 5,Imogen 8,
Esme 6,Matilda 8,Phoebe 8,Daisy 10,Ruby 15,Alice 15,Evelyn 10,Edith 4,Doris 3,Joan 6,Dorothy 5,Barbara 8,Pauline 6,Brenda 4`;
const MALE = `Oliver 60,George 55,Noah 50,Arthur 40,Muhammad 45,Leo 40,Oscar 35,Harry 40,Archie 30,Jack 40,Henry 30,Charlie 35,
Freddie 25,Theo 30,Thomas 35,James 40,William 40,Joshua 30,Daniel 35,Matthew 30,David 40,Michael 35,Christopher 30,Andrew 30,
Robert 30,John 40,Paul 30,Mark 25,Richard 25,Stephen 25,Peter 20,Anthony 20,Edward 20,Benjamin 25,Samuel 25,Joseph 25,
Alexander 25,Jacob 20,Ethan 20,Lewis 15,Liam 15,Ryan 15,Kyle 10,Connor 12,Callum 12,Jamie 12,Dylan 12,Reece 8,Jordan 10,
Mohammed 20,Ahmed 10,Ali 10,Omar 8,Yusuf 8,Ibrahim 8,Hamza 8,Arjun 5,Rohan 4,Kwame 2,Chidi 2,Oluwadamilare 1,Tomasz 4,Piotr 4,
Łukasz 3,Mateusz 3,Andrei 3,Bogdan 2,José 3,Seán 3,Ciarán 3,Dafydd 3,Rhys 8,Owain 3,Cai 3,Finlay 8,Hamish 4,Angus 4,Ronan 5,
Kieran 8,Declan 6,Brian 8,Kevin 10,Gary 10,Wayne 8,Darren 8,Craig 8,Dean 8,Lee 10,Shaun 6,Terence 4,Derek 4,Keith 5,Geoffrey 3`;
const SURNAMES = `Smith 120,Jones 90,Williams 70,Taylor 65,Brown 65,Davies 55,Evans 45,Wilson 45,Thomas 40,Johnson 40,Roberts 40,
Robinson 35,Thompson 35,Wright 35,Walker 35,White 33,Edwards 30,Hughes 30,Green 30,Hall 30,Lewis 30,Harris 30,Clarke 28,Patel 40,
Jackson 26,Wood 26,Turner 24,Martin 24,Cooper 24,Hill 24,Ward 22,Morris 22,Moore 22,Clark 22,Lee 20,King 20,Baker 20,Harrison 20,
Morgan 20,Allen 18,James 18,Scott 18,Phillips 18,Watson 18,Davis 18,Parker 17,Price 17,Bennett 16,Young 16,Griffiths 16,Mitchell 16,
Kelly 16,Cook 16,Carter 16,Richardson 15,Bailey 15,Collins 15,Bell 15,Shaw 15,Murphy 15,Miller 15,Cox 14,Richards 14,Khan 25,
Marshall 14,Anderson 14,Simpson 14,Ellis 14,Adams 13,Singh 22,Begum 15,Wilkinson 13,Foster 13,Chapman 12,Powell 12,Webb 12,Rogers 12,
Gray 12,Mason 12,Ali 18,Hussain 15,Campbell 12,Matthews 12,Owen 12,Palmer 12,Holmes 11,Mills 11,Barnes 11,Knight 11,Lloyd 11,
Butler 11,Russell 11,Barker 11,Fisher 11,Stevens 11,Jenkins 11,Dixon 10,Fletcher 10,Ahmed 14,Nowak 5,Kowalski 4,Wiśniewski 2,
Nguyen 4,Okafor 3,Adeyemi 3,Mensah 2,Oyelaran 1,Ó Súilleabháin 1,Ní Bhriain 1,Nuñez 1,García 2,Müller 1,Öztürk 1,Łopatka 1,
Featherstonehaugh 1,Cholmondeley 1,Ffoulkes 1,Ap Rhys 1,De Souza 3,Van der Berg 1,Le Roux 1,St John 1,McAllister 3,MacDonald 5,
O'Brien 5,O'Neill 5,McCarthy 4,Fitzgerald 3,Okonkwo 2,Abubakar 2,Chaudhry 4,Mahmood 5,Rahman 6,Uddin 4,Chowdhury 4,Kaur 8,Gill 6,
Sandhu 3,Bains 3,Zielinski 1,Popescu 2,Ionescu 1,Petrov 1,Smith-Jones 2,Taylor-Brown 1,Hughes-Davies 1,Lloyd-Webber 1,
Bowes-Lyon 1,Harding-Rolls 1,Okafor-Smith 1,Patel-Shah 1,Wyndham-Quin 1,Vaughan-Thomas 1,Spencer-Churchill 1`;

function parse(list: string): [string, number][] {
  return list.split(',').map((entry) => {
    const trimmed = entry.trim();
    const at = trimmed.lastIndexOf(' ');
    return [trimmed.slice(0, at), Number(trimmed.slice(at + 1))];
  });
}

export const FEMALE_NAMES = weighted(parse(FEMALE));
export const MALE_NAMES = weighted(parse(MALE));
export const SURNAME_TABLE = weighted(parse(SURNAMES));

/** Diminutives agencies record instead of the given name. */
export const NICKNAMES: Record<string, string[]> = {
  William: ['Bill', 'Will', 'Liam', 'Billy'],
  Robert: ['Bob', 'Rob', 'Bobby'],
  Richard: ['Rick', 'Dick', 'Richie'],
  James: ['Jim', 'Jimmy', 'Jamie'],
  John: ['Jack', 'Johnny'],
  Michael: ['Mike', 'Mick'],
  Christopher: ['Chris', 'Kit'],
  Thomas: ['Tom', 'Tommy'],
  Daniel: ['Dan', 'Danny'],
  Matthew: ['Matt'],
  Anthony: ['Tony'],
  Edward: ['Ed', 'Ted', 'Eddie'],
  Benjamin: ['Ben'],
  Samuel: ['Sam'],
  Joseph: ['Joe'],
  Alexander: ['Alex', 'Sandy'],
  Andrew: ['Andy', 'Drew'],
  David: ['Dave'],
  Stephen: ['Steve'],
  Peter: ['Pete'],
  Joshua: ['Josh'],
  Jacob: ['Jake'],
  Henry: ['Harry', 'Hal'],
  Charles: ['Charlie', 'Chuck'],
  Frederick: ['Freddie', 'Fred'],
  Theodore: ['Theo'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie', 'Betty'],
  Margaret: ['Maggie', 'Peggy', 'Meg'],
  Katherine: ['Kate', 'Katie', 'Kath'],
  Catherine: ['Cathy', 'Kate'],
  Victoria: ['Vicky', 'Tori'],
  Jennifer: ['Jenny', 'Jen'],
  Rebecca: ['Becky', 'Becca'],
  Jessica: ['Jess'],
  Samantha: ['Sam'],
  Patricia: ['Pat', 'Trish'],
  Susan: ['Sue', 'Susie'],
  Deborah: ['Debbie', 'Deb'],
  Christine: ['Chris', 'Tina'],
  Nicola: ['Nicky'],
  Isabella: ['Bella', 'Izzy'],
  Florence: ['Flo'],
  Charlotte: ['Lottie', 'Charlie'],
  Amelia: ['Millie'],
  Olivia: ['Liv'],
  Sophia: ['Sophie'],
  Evelyn: ['Evie'],
  Barbara: ['Babs'],
  Dorothy: ['Dot'],
  Harriet: ['Hattie'],
  Imogen: ['Immy'],
  Matilda: ['Tilly'],
  Gemma: ['Gem'],
  Danielle: ['Dani'],
};
