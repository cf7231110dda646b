/**
 * Model statutes and model Acceptable Usage Policy that setup offers the
 * founders of an association as their starting draft. Written for Allmenning;
 * they follow the defaults in DESIGN.md ("Domain rules") and are meant to be
 * edited and adopted by the founding meeting.
 *
 * The only placeholder is {{name}}, which is replaced by the association's name.
 */

export interface ModelDocument {
  title_nb: string;
  title_en: string;
  body_nb: string;
  body_en: string;
}

export const MODEL_STATUTES: ModelDocument = {
  title_nb: 'Vedtekter for {{name}}',
  title_en: 'Statutes of {{name}}',

  body_nb: `## § 1 Navn og sete

Foreningens navn er {{name}}. Foreningen er en frittstående, ideell forening med sete på den forretningsadressen som er registrert i Enhetsregisteret.

## § 2 Formål

{{name}} er et datafellesskap. Medlemmene eier og driver i fellesskap nettbaserte tjenester bygd på fri og åpen kildekode, på maskinvare som foreningen selv eier eller rår over.

Foreningen skal gi medlemmene trygge digitale tjenester som et alternativ til kommersielle plattformer, verne deres personvern, være åpen om drift, kostnader og beslutninger, og styres demokratisk av medlemmene etter prinsippet ett medlem, én stemme.

Foreningen har ikke økonomisk vinning som formål. Et eventuelt overskudd brukes til å fremme formålet og deles ikke ut til medlemmene.

## § 3 Medlemskap

Medlemskap er åpent for enkeltpersoner og for organisasjoner som slutter seg til formålet. En organisasjon som er medlem, utpeker en kontaktperson som representerer den overfor foreningen.

For å bli medlem må man godta disse vedtektene og retningslinjene for akseptabel bruk, og betale kontingent. Styret kan godkjenne innmeldinger fortløpende. Et avslag skal begrunnes skriftlig og kan klages inn for årsmøtet.

Medlemskapet gjelder fra kontingenten er betalt og ut foreningsåret, det vil si fram til neste ordinære årsmøte. Betales ikke kontingenten for et nytt foreningsår innen fristen styret har satt, faller medlemskapet bort.

Et medlem kan når som helst melde seg ut skriftlig. Innbetalt kontingent betales ikke tilbake.

## § 4 Kontingent

Årsmøtet fastsetter kontingenten for hver medlemstype. Kontingenten kan deles i en medlemskontingent og en tjenesteavgift, med merverdiavgift der loven krever det. Årsmøtet kan vedta redusert kontingent og la medlemmer betale mer enn satsen. Styret kan bestemme at den som melder seg inn i løpet av året, betaler en forholdsmessig del.

## § 5 Stemmerett

Hvert medlem har én stemme. En organisasjon stemmer gjennom kontaktpersonen sin eller en annen person den har utpekt skriftlig. Det kan ikke stemmes ved fullmakt.

Stemmerett har medlemmer som har et aktivt medlemskap med betalt kontingent, og som har vært medlem sammenhengende i minst 30 dager før møtet. Kravet skal hindre at årsmøtet blir tatt over ved at mange melder seg inn rett før møtet. Det gjelder ikke for medlemmer som deltok på stiftelsesmøtet. Et suspendert medlem har ikke stemmerett.

Medlemmer med stemmerett kan velges til tillitsverv.

## § 6 Årsmøtet

Årsmøtet er foreningens høyeste myndighet. Ordinært årsmøte holdes én gang i året, fysisk, digitalt eller som en kombinasjon, så lenge alle med stemmerett kan delta, ta ordet og stemme.

Styret kaller inn med minst 14 dagers varsel, på e-post til alle medlemmer og på foreningens nettsider. Innkallingen skal oppgi tid, sted eller møtelenke og foreløpig saksliste.

Forslag fra medlemmer må være kommet inn til styret senest 7 dager før møtet. Senest 4 dager før møtet skal endelig saksliste og alle saksdokumenter, herunder årsberetning, regnskap, budsjettforslag og innkomne forslag, være tilgjengelige for medlemmene.

Et lovlig innkalt årsmøte er vedtaksført uansett hvor mange som møter. Det kan bare fatte vedtak i saker som står på sakslisten. Det føres protokoll, som gjøres tilgjengelig for medlemmene.

## § 7 Saksliste for ordinært årsmøte

1. Valg av dirigent og referent.
2. Godkjenning av innkalling og liste over stemmeberettigede (manntall).
3. Styrets årsberetning.
4. Regnskap med revisors beretning.
5. Budsjett og kontingent.
6. Innkomne forslag.
7. Endringer i vedtektene og i retningslinjene for akseptabel bruk.
8. Valg av styremedlemmer, varamedlemmer og revisor.
9. Eventuelt (saker kan drøftes, men ikke avgjøres).

## § 8 Avstemninger

Vedtak fattes med alminnelig flertall av de avgitte stemmene, med mindre vedtektene sier noe annet. Blanke stemmer regnes som ikke avgitt. Vedtektsendringer krever tilslutning fra minst tre fjerdedeler av de stemmeberettigede medlemmene som er til stede.

Valg med mer enn én kandidat skjer skriftlig og hemmelig. Andre avstemninger skjer skriftlig og hemmelig når minst to medlemmer med stemmerett ber om det. Ved stemmelikhet avgjøres valg ved loddtrekning; i andre saker er forslaget da ikke vedtatt.

## § 9 Ekstraordinært årsmøte

Ekstraordinært årsmøte holdes når styret vedtar det, eller når minst en fjerdedel av medlemmene med stemmerett krever det skriftlig og oppgir hvilke saker de vil ha behandlet. Styret skal da kalle inn innen 14 dager. Reglene for ordinært årsmøte om varsel, frister og avstemninger gjelder tilsvarende. Møtet kan bare behandle sakene som står i innkallingen.

## § 10 Styret

Styret består av fem medlemmer og to varamedlemmer, valgt av årsmøtet. Styremedlemmene velges for to år, slik at to eller tre står på valg hvert år; på stiftelsesmøtet velges to av dem for ett år. Varamedlemmene velges for ett år. Årsmøtet velger også én revisor for ett år, som ikke kan sitte i styret.

Styret konstituerer seg selv med leder og kasserer. Det leder foreningen mellom årsmøtene, gjennomfører årsmøtets vedtak, sørger for forsvarlig og sikker drift av tjenestene, utpeker ansvarlige for drift og moderering, fører medlemsregister og forvalter foreningens midler etter budsjettet.

Styret er vedtaksført når minst tre styremedlemmer er til stede. Vedtak fattes med flertall av de avgitte stemmene; ved stemmelikhet avgjør lederens stemme. Styreprotokollene er tilgjengelige for medlemmene, bortsett fra opplysninger som må holdes fortrolige av hensyn til personvern eller sikkerhet.

Foreningen forpliktes av styrets leder og ett annet styremedlem i fellesskap.

## § 11 Retningslinjer for akseptabel bruk

Bruken av tjenestene reguleres av retningslinjer for akseptabel bruk, som vedtas og endres av årsmøtet med alminnelig flertall. De gjelder for alle som bruker tjenestene gjennom et medlemskap.

## § 12 Sanksjoner

Bryter et medlem vedtektene eller retningslinjene, kan medlemmet få

1. advarsel;
2. suspensjon fra én dag til tolv måneder, uten tilgang til tjenestene og uten stemmerett; suspensjonen oppheves automatisk når perioden er over;
3. eksklusjon, som bare styret kan vedta, etter gjentatte brudd eller ett alvorlig brudd. Å bruke tjenestene til å organisere virksomhet med fascistiske, nazistiske eller beslektede mål er alltid et alvorlig brudd.

Advarsel og suspensjon kan også vedtas av moderatorer med fullmakt fra styret.

Før en sanksjon vedtas, skal medlemmet få skriftlig beskjed om saken og en rimelig frist, normalt minst 7 dager, til å uttale seg. Når det haster for å stanse pågående skade, kan medlemmet suspenderes midlertidig straks og høres så snart som mulig etterpå.

Vedtaket skal være skriftlig og begrunnet. Medlemmet kan klage det inn for årsmøtet og legge fram sin sak der. En klage stanser ikke en suspensjon eller eksklusjon.

## § 13 Økonomi og regnskap

Foreningens inntekter er kontingent, tjenesteavgifter og gaver, og skal bare brukes til formålet. Tillitsverv er ulønnet; nødvendige utlegg, for eksempel til maskinvare eller drift, dekkes mot kvittering innenfor budsjettet.

Regnskapsåret følger foreningsåret. Regnskapsmateriale oppbevares i fem år etter utgangen av regnskapsåret. Revisoren har innsyn i alle regnskapsdokumenter og legger fram en skriftlig beretning for årsmøtet.

## § 14 Vedtektsendringer

Vedtektene kan bare endres av et årsmøte der endringsforslaget står i innkallingen, og med tre fjerdedels flertall etter § 8.

## § 15 Oppløsning

Oppløsning krever tre fjerdedels flertall på to årsmøter med minst to måneders mellomrom; det ene kan være ekstraordinært.

Det siste årsmøtet bestemmer hvordan eiendelene skal brukes etter at gjelden er betalt. De skal gå til ideelle formål som ligner foreningens eget, og kan ikke deles ut til medlemmene.

Medlemmene skal få minst 30 dager til å hente ut dataene sine før tjenestene stenges. Deretter slettes alle data og personopplysninger på en sikker måte, bortsett fra regnskapsmateriale, som slettes når oppbevaringsplikten er ute.
`,

  body_en: `## § 1 Name and seat

The name of the association is {{name}}. It is an independent non-profit association, with its seat at the business address registered in the Norwegian Register of Legal Entities (Enhetsregisteret).

## § 2 Purpose

{{name}} is a data cooperative. Its members jointly own and run online services built on free and open-source software, on hardware that the association itself owns or controls.

The association shall give its members safe digital services as an alternative to commercial platforms, protect their privacy, be open about its operations, costs and decisions, and be governed democratically by its members on the principle of one member, one vote.

The association does not seek financial gain. Any surplus is used to further its purpose and is not distributed to the members.

## § 3 Membership

Membership is open to individuals and to organisations that support the purpose. An organisation that is a member appoints a contact person who represents it towards the association.

To become a member, one must accept these statutes and the Acceptable Usage Policy, and pay the fee. The board may approve applications as they arrive. A refusal shall be justified in writing and may be appealed to the general assembly.

A membership runs from payment of the fee until the end of the association year, that is, until the next ordinary general assembly. If the fee for a new association year is not paid by the deadline set by the board, the membership lapses.

A member may resign at any time in writing. Fees already paid are not refunded.

## § 4 Fees

The general assembly sets the fee for each type of membership. The fee may be split into a membership fee and a service fee, with VAT where the law requires it. The general assembly may adopt a reduced fee and allow members to pay more than the set amount. The board may decide that those who join during the year pay a proportionate share.

## § 5 Voting rights

Each member has one vote. An organisation votes through its contact person or another person it has appointed in writing. Voting by proxy is not permitted.

The right to vote belongs to members whose membership is active and paid, and who have been members without interruption for at least 30 days before the meeting. This requirement prevents a takeover of the general assembly by many people joining just before the meeting. It does not apply to members who took part in the founding meeting. A suspended member has no vote.

Members with the right to vote are eligible for office.

## § 6 General assembly

The general assembly is the highest authority of the association. An ordinary general assembly is held once a year, in person, online or as a combination, provided that everyone with a vote can take part, speak and vote.

The board calls the meeting with at least 14 days' notice, by e-mail to all members and on the association's website. The notice shall state the time, the place or meeting link, and a preliminary agenda.

Proposals from members must reach the board no later than 7 days before the meeting. No later than 4 days before the meeting, the final agenda and all documents, including the annual report, the accounts, the proposed budget and the proposals received, shall be available to the members.

A duly called general assembly can make decisions regardless of how many attend. It can only decide matters on the agenda. Minutes are kept and made available to the members.

## § 7 Agenda of the ordinary general assembly

1. Election of a chair and a secretary.
2. Approval of the notice and the register of voters.
3. The board's annual report.
4. The accounts with the auditor's report.
5. Budget and fees.
6. Proposals received.
7. Changes to the statutes and to the Acceptable Usage Policy.
8. Election of board members, alternates and the auditor.
9. Any other business (matters may be discussed, not decided).

## § 8 Voting

Decisions are made by a simple majority of the votes cast, unless these statutes say otherwise. Blank votes count as not cast. Changes to the statutes require the support of at least three quarters of the members with voting rights who are present.

An election with more than one candidate is held by secret written ballot. Other votes are held by secret written ballot when at least two members with a vote ask for it. A tied election is decided by drawing lots; in other matters a tie means the proposal is not adopted.

## § 9 Extraordinary general assembly

An extraordinary general assembly is held when the board so decides, or when at least one quarter of the members with voting rights demand it in writing, stating the matters they want dealt with. The board shall then call the meeting within 14 days. The rules for the ordinary general assembly on notice, deadlines and voting apply in the same way. The meeting can only deal with the matters stated in the notice.

## § 10 The board

The board consists of five members and two alternates, elected by the general assembly. Board members are elected for two years, so that two or three are up for election each year; at the founding meeting, two of them are elected for one year. The alternates are elected for one year. The general assembly also elects one auditor for one year, who may not sit on the board.

The board elects its own chair and treasurer. It leads the association between general assemblies, carries out the decisions of the general assembly, ensures that the services are run responsibly and securely, appoints those responsible for operations and moderation, keeps the register of members and manages the association's funds according to the budget.

The board can make decisions when at least three board members are present. Decisions are made by a majority of the votes cast; if the votes are tied, the chair has the casting vote. Board minutes are available to the members, except for information that must be kept confidential for reasons of privacy or security.

The association is bound by the chair of the board and one other board member jointly.

## § 11 Acceptable Usage Policy

Use of the services is governed by an Acceptable Usage Policy, adopted and amended by the general assembly by simple majority. It applies to everyone who uses the services through a membership.

## § 12 Sanctions

If a member breaches the statutes or the policy, the member may be given

1. a warning;
2. suspension for between one day and twelve months, without access to the services and without a vote; the suspension is lifted automatically when the period ends;
3. exclusion, which only the board can decide, after repeated breaches or a single grave breach. Using the services to organise activities with fascist, Nazi or related aims is always a grave breach.

Warnings and suspensions may also be decided by moderators authorised by the board.

Before a sanction is decided, the member shall be told in writing what the case concerns and given a reasonable deadline, normally at least 7 days, to respond. Where it is urgent to stop ongoing harm, the member may be suspended temporarily at once and heard as soon as possible afterwards.

The decision shall be in writing and give its reasons. The member may appeal it to the general assembly and present their case there. An appeal does not pause a suspension or an exclusion.

## § 13 Finances and accounts

The association's income consists of fees, service fees and donations, and shall only be used for its purpose. Offices are unpaid; necessary expenses, for example for hardware or hosting, are refunded against a receipt within the budget.

The fiscal year follows the association year. Accounting records are kept for five years after the end of the fiscal year. The auditor has access to all accounting documents and presents a written report to the general assembly.

## § 14 Changes to the statutes

The statutes can only be changed by a general assembly whose notice includes the proposed change, and by a three-quarters majority under § 8.

## § 15 Dissolution

Dissolution requires a three-quarters majority at two general assemblies held at least two months apart; one of them may be extraordinary.

The second of these assemblies decides how the assets are used once debts are paid. They shall go to non-profit purposes similar to the association's own, and may not be distributed to the members.

Members shall be given at least 30 days to retrieve their data before the services are shut down. After that, all data and personal data are securely deleted, except accounting records, which are deleted when the retention period has expired.
`,
};

export const MODEL_AUP: ModelDocument = {
  title_nb: 'Retningslinjer for akseptabel bruk av tjenestene til {{name}}',
  title_en: 'Acceptable Usage Policy of {{name}}',

  body_nb: `## 1. Hva retningslinjene gjelder for

Dette er retningslinjene for akseptabel bruk i {{name}}. De er vedtatt av årsmøtet og utfyller vedtektene.

Retningslinjene gjelder for alle tjenester foreningen driver, enten det er fillagring, chat, sosiale medier, kodedeling, video eller forum, og for alle som bruker tjenestene gjennom et medlemskap, også brukere som har tilgang gjennom en organisasjon som er medlem. Der en tjeneste er koblet til andre servere, for eksempel i fødiverset eller Matrix, gjelder retningslinjene for alt du gjør fra våre servere.

Tjenestene er et felleseie. De drives av medlemmer, ofte frivillig, på maskinvare vi eier sammen. De fungerer bare så lenge vi tar hensyn til hverandre og til utstyret.

## 2. Respekt for andre

Vi forventer at alle behandler andre med respekt, uavhengig av kjønn, kjønnsidentitet, seksuell orientering, funksjonsevne, utseende, alder, etnisitet, hudfarge, religion, livssyn og nasjonalitet. Det er lov å være uenig og å diskutere med skarpe argumenter, men ikke å gå etter personen.

Vi har nulltoleranse for:

- trakassering, også vedvarende uønsket kontakt og oppfordringer til andre om å trakassere;
- hatefulle ytringer og nedverdigende innhold rettet mot personer eller grupper;
- trusler om vold eller annen skade;
- å offentliggjøre private opplysninger om andre uten samtykke, som adresse, telefonnummer, arbeidssted eller bilder (doxxing);
- overgrep mot og utnyttelse av andre.

Ingen kan bruke foreningens tjenester til å organisere, rekruttere eller spre propaganda for fascistiske, nazistiske eller beslektede mål. Dette regnes som et alvorlig brudd og kan føre til eksklusjon allerede første gang.

## 3. Ulovlig og skadelig bruk

Det er ikke tillatt å bruke tjenestene til å:

- lagre, dele eller lenke til seksuelle overgrep mot barn eller annet innhold som seksualiserer barn; slike forhold meldes alltid til politiet;
- dele intime bilder av andre uten samtykke;
- dele annet innhold eller drive annen virksomhet som er ulovlig i Norge, for eksempel bedrageri eller grove brudd på opphavsretten;
- sende søppelpost, masseutsendelser eller automatiserte meldinger som mottakerne ikke har bedt om;
- spre skadevare, drive phishing eller på andre måter lure folk;
- angripe, skanne eller prøve å bryte seg inn i foreningens eller andres systemer, eller omgå tilgangskontroll;
- belaste tjenestene urimelig, for eksempel med utvinning av kryptovaluta, store mengder automatiserte forespørsler eller lagring ut over fastsatte kvoter;
- dele kontoen din med andre eller la andre bruke den. Tilgangen er personlig; en organisasjon som er medlem, får kontoer til navngitte brukere etter avtale med styret.

Oppdager du et sikkerhetshull, ber vi deg si fra til driftsgruppen i stedet for å utnytte det. Vi setter pris på ansvarlig varsling.

## 4. Slik vurderer vi saker

Moderatorene vurderer atferd og innhold: hva som er sagt eller gjort, og hvilken virkning det har. De vurderer ikke hvem personen er, hvilke meninger vedkommende ellers har, eller hvor lenge vedkommende har vært medlem. Sammenheng og hensikt teller. Satire, sitater som gjengis for å kritisere, og dokumentasjon av overgrep er noe annet enn det de handler om.

Moderatorer og styremedlemmer skal ikke behandle saker de selv er part i eller har nær tilknytning til.

## 5. Slik melder du fra

Ser du noe som bryter med retningslinjene, kan du melde fra med rapportfunksjonen i tjenesten, gjennom medlemssystemet eller på e-post til moderatorene. Beskriv hva som har skjedd, og legg gjerne ved lenker eller skjermbilder. Også andre enn medlemmer, for eksempel brukere på andre servere, kan melde fra.

Den som melder fra, skal være trygg. Identiteten din holdes skjult for den det meldes om, og for alle andre enn dem som behandler saken, med mindre du selv samtykker eller loven krever noe annet. Vi godtar ikke gjengjeldelse mot noen som har meldt fra i god tro.

Du får bekreftelse på at meldingen er mottatt, og beskjed når saken er avsluttet. Av hensyn til den andre partens personvern får du ikke nødvendigvis vite hvilken sanksjon som er gitt.

## 6. Saksbehandling og sanksjoner

Saker behandles etter vedtektenes regler om sanksjoner. Før en sanksjon vedtas, får medlemmet skriftlig beskjed om hva saken gjelder, og en rimelig frist til å svare, normalt minst 7 dager.

Sanksjonene er:

- advarsel;
- suspensjon fra én dag til tolv måneder, der medlemmet ikke har tilgang til tjenestene, og som oppheves automatisk når perioden er over;
- eksklusjon etter gjentatte eller alvorlige brudd, som bare styret kan vedta.

I tillegg kan moderatorene fjerne eller skjule innhold som bryter med retningslinjene.

Når det haster for å stanse pågående skade, for eksempel ved trusler, deling av ulovlig innhold eller angrep på infrastrukturen, kan moderatorene eller driftsgruppen suspendere en konto midlertidig med en gang. Medlemmet skal da høres så snart som mulig, og saken skal avgjøres uten unødig opphold.

Vedtak er skriftlige og begrunnede. Medlemmet kan klage vedtaket inn for årsmøtet. En klage stanser ikke en suspensjon.

## 7. Foreningens løfter om personvern

Retningslinjene stiller krav til medlemmene, men også til oss som forening. Vi lover at vi:

- bare samler inn og lagrer de opplysningene vi trenger for å drive medlemskapet og tjenestene;
- aldri selger, deler eller analyserer dataene dine for reklame eller andre formål;
- ikke ser på innholdet ditt, som filer og private meldinger, med mindre det er nødvendig for å behandle en konkret melding om brudd, rette en teknisk feil eller oppfylle et lovpålegg; slike inngrep begrenses til det som trengs, og loggføres;
- bruker kryptering, tar sikkerhetskopier og holder programvaren oppdatert;
- lar deg hente ut dataene dine, og sletter profil- og bruksdata når du ber om det, bortsett fra regnskapsopplysninger som loven krever at vi oppbevarer;
- bare utleverer opplysninger til myndighetene når loven pålegger oss det, og sier fra til deg når vi har lov til det;
- varsler de berørte medlemmene om sikkerhetsbrudd som rammer dem.

## 8. Endringer

Retningslinjene vedtas og endres av årsmøtet med alminnelig flertall. Forslag til endringer følger de samme fristene som andre forslag til årsmøtet. Styret kan fastsette praktiske regler for de enkelte tjenestene innenfor rammene av disse retningslinjene. Slike regler skal kunngjøres for medlemmene.
`,

  body_en: `## 1. What this policy covers

This is the Acceptable Usage Policy of {{name}}. It is adopted by the general assembly and supplements the statutes.

The policy applies to every service the association runs, whether file storage, chat, social media, code hosting, video or forums, and to everyone who uses the services through a membership, including users who have access through an organisation that is a member. Where a service is connected to other servers, for example in the fediverse or on Matrix, the policy applies to everything you do from our servers.

The services are held in common. They are run by members, often as volunteers, on hardware we own together. They only work as long as we show consideration for one another and for the equipment.

## 2. Respect for others

We expect everyone to treat others with respect, regardless of gender, gender identity, sexual orientation, disability, appearance, age, ethnicity, skin colour, religion, belief and nationality. Disagreeing and arguing sharply is fine; going after the person is not.

We have zero tolerance for:

- harassment, including persistent unwanted contact and urging others to harass;
- hate speech and degrading content aimed at people or groups;
- threats of violence or other harm;
- publishing private information about others without their consent, such as their address, phone number, workplace or pictures (doxxing);
- abuse and exploitation of others.

No one may use the association's services to organise, recruit or spread propaganda for fascist, Nazi or related aims. This counts as a grave breach and may lead to exclusion on the first occasion.

## 3. Unlawful and harmful use

You may not use the services to:

- store, share or link to sexual abuse of children or any other content that sexualises children; such matters are always reported to the police;
- share intimate images of others without their consent;
- share other content or carry out other activities that are unlawful in Norway, such as fraud or serious copyright infringement;
- send spam, mass mailings or automated messages that the recipients have not asked for;
- spread malware, run phishing or otherwise deceive people;
- attack, scan or try to break into the association's or anyone else's systems, or get around access controls;
- put an unreasonable load on the services, for example by mining cryptocurrency, making large volumes of automated requests or storing data beyond the set quotas;
- share your account with others or let others use it. Access is personal; an organisation that is a member gets accounts for named users by agreement with the board.

If you find a security hole, please tell the operations team rather than exploit it. We welcome responsible disclosure.

## 4. How we judge cases

Moderators judge behaviour and content: what was said or done, and what effect it had. They do not judge who the person is, what other opinions they hold or how long they have been a member. Context and intent matter. Satire, quoting in order to criticise, and documenting abuse are different from the things they deal with.

Moderators and board members shall not handle cases to which they are a party or with which they are closely connected.

## 5. How to report

If you see something that breaches this policy, you can report it with the report function in the service, through the member system or by e-mail to the moderators. Describe what happened, and feel free to include links or screenshots. People who are not members, such as users on other servers, may report too.

Those who report shall be safe. Your identity is kept from the person reported and from everyone except those handling the case, unless you consent or the law requires otherwise. We do not accept retaliation against anyone who has reported in good faith.

You will get confirmation that your report has been received, and word when the case is closed. Out of respect for the other party's privacy, you will not necessarily be told which sanction was given.

## 6. Procedure and sanctions

Cases are handled under the rules on sanctions in the statutes. Before a sanction is decided, the member is told in writing what the case concerns and given a reasonable deadline to respond, normally at least 7 days.

The sanctions are:

- a warning;
- suspension for between one day and twelve months, during which the member has no access to the services, lifted automatically when the period ends;
- exclusion after repeated or grave breaches, which only the board can decide.

In addition, moderators may remove or hide content that breaches this policy.

Where it is urgent to stop ongoing harm, for example in the case of threats, sharing of unlawful content or attacks on the infrastructure, the moderators or the operations team may suspend an account temporarily at once. The member shall then be heard as soon as possible, and the case decided without undue delay.

Decisions are made in writing and give their reasons. The member may appeal a decision to the general assembly. An appeal does not pause a suspension.

## 7. The association's privacy commitments

This policy makes demands of the members, but also of us as an association. We promise that we:

- only collect and store the information we need to run the membership and the services;
- never sell, share or analyse your data for advertising or any other purpose;
- do not look at your content, such as files and private messages, unless it is necessary to handle a specific report of a breach, to fix a technical fault or to comply with a legal obligation; such access is limited to what is needed, and logged;
- use encryption, take backups and keep the software up to date;
- let you retrieve your data, and delete your profile and usage data when you ask us to, except for accounting records the law requires us to keep;
- only hand over information to the authorities when the law obliges us to, and tell you when we are allowed to;
- notify the affected members of security breaches that concern them.

## 8. Changes

This policy is adopted and amended by the general assembly by simple majority. Proposed changes follow the same deadlines as other proposals to the general assembly. Within the limits of this policy, the board may set practical rules for each service. Such rules shall be announced to the members.
`,
};
